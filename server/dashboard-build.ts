// `npm start` serves the production dashboard; it builds it first when the build is missing or older than
// the sources, so a fresh clone and a `git pull` both just work.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

// The dashboard bundles app/ and the shared types and rules it imports from search/ and server/.
const SOURCES = ["app", "search", "server", "next.config.mjs", "tailwind.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

export function dashboardBuildIsCurrent(root: string): boolean {
  const buildId = join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.every((source) => newestMtime(join(root, source)) <= built);
}

/** Builds when stale, holding a lock so that parallel test files or two `npm start`s never build at once. */
export async function ensureDashboardBuilt(root: string, log: (m: string) => void): Promise<void> {
  const lock = join(root, ".next-build.lock");
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than a build can take was left by a killed process.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another dashboard build (${lock})`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (!dashboardBuildIsCurrent(root)) buildDashboard(root, log);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildDashboard(root: string, log: (m: string) => void): void {
  log("building the dashboard (next build)…");
  const started = Date.now();
  const result = spawnSync(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit code ${result.status})`);
  log(`dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
