// The embedded database (PGlite) must never be opened by two processes: a running server records its pid in
// SWEEPBOARD_HOME, and the admin commands refuse while that process is alive.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PID_FILE = "server.pid";

export function holdEmbeddedDatabase(home: string): () => void {
  const file = join(home, PID_FILE);
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

/** The pid of a live server holding the embedded database, or null (none, or a crashed one's stale file). */
export function embeddedDatabaseHolder(home: string): number | null {
  const file = join(home, PID_FILE);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8"));
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}
