// Every benchmark prints its JSON report on stdout and, with --out FILE, writes the same to that file.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export function writeReport(report: unknown, out: string): void {
  const json = JSON.stringify(report, null, 2);
  console.log(json);
  if (!out) return;
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, json + "\n");
}
