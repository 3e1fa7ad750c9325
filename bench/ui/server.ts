// The real server as `npm start` runs it (production build, its own process), on the seeded database, without local
// workers: the benchmark's own fake workers stream, with a worker token it sets.
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import { PROJECT_ROOT } from "../../server/app-server";
import { signIn } from "../../test/support/auth";
import { ADMIN_EMAIL, startServerProcess, type ServerProcess } from "../../test/support/server-process";
import type { SeededDatabase } from "./database";

export const WORKER_TOKEN = "bench-ui-worker-token-0123456789";

export interface BenchServer {
  process: ServerProcess;
  url: string;
  /** The admin's session cookies ("name=value; …"), for the browser. */
  cookie: string;
  start_ms: number;
}

/** Builds the dashboard when its sources changed (timed apart: a rebuild is not the server's start). */
export async function buildDashboard(): Promise<number> {
  const started = performance.now();
  await ensureDashboardBuilt(PROJECT_ROOT, (m) => console.error(m));
  return Math.round(performance.now() - started);
}

export async function startBenchServer(database: SeededDatabase): Promise<BenchServer> {
  const started = performance.now();
  const process = await startServerProcess(
    { SWEEPBOARD_WORKERS: "0", SWEEPBOARD_WORKER_TOKEN: WORKER_TOKEN, ...database.env },
    { home: database.home, timeoutMs: 300_000 },
  );
  const start_ms = Math.round(performance.now() - started);
  return { process, url: process.url, cookie: await signIn(process.url, ADMIN_EMAIL), start_ms };
}

/** "a=b; c=d" as playwright cookies for this server's origin. */
export function browserCookies(cookie: string, url: string): { name: string; value: string; url: string }[] {
  return cookie
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url };
    });
}
