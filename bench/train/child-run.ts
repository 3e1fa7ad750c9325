// Runs one side of a training benchmark (our engine or PyTorch) in its own process and parses the JSON line it
// prints last.
import { spawnSync } from "node:child_process";
import path from "node:path";

export interface Run {
  engine: string;
  threads: number;
  images_per_epoch: number;
  images_per_s: number[];
  accuracy_60k?: Array<{ epoch: number; seconds: number; test_accuracy: number }>;
}

export function runJson(command: string, args: string[], cwd: string): Run | { error: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 16 << 20 });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !line.startsWith("{")) {
    return { error: `${path.basename(command)} ${args.join(" ")} exited ${result.status}: ${(result.stderr || result.stdout).slice(-1500)}` };
  }
  return JSON.parse(line) as Run;
}
