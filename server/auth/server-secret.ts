// The secret that signs session cookies and worker resume tickets: SWEEPBOARD_SECRET, else generated once and kept
// in SWEEPBOARD_HOME (several instances on one database must share it, like the worker token).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function loadOrCreateSecret(home: string, fromEnv: string | undefined, file: string, bytes = 32): string {
  if (fromEnv) return fromEnv;
  const path = join(home, file);
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  const secret = randomBytes(bytes).toString("base64url");
  try {
    writeFileSync(path, secret + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another instance sharing this home wrote it first: use theirs, or the two would sign differently.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(path, "utf8").trim();
    throw error;
  }
  return secret;
}
