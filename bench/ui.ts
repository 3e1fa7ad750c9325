// The sweep page at scale, in Chromium, on PGlite and PostgreSQL: seeds a sweep of TRIALS × EPOCHS (10,000 × 50 is
// exactly 500k epoch rows), starts the real server (production build, no local workers), and measures the first
// snapshot's size and time, the page's time to interactive, longest task, DOM size and JS heap, sorting by columns,
// /api/health while several tabs open the page at once, and the delay from a worker's report to the DOM while
// reports stream in. Printed beside main's figures from issue 10 with the bars, pass/fail per figure.
// Usage: npm run bench:ui -- [--out FILE] [--kinds pglite,postgres] [--sizes 1000x50,10000x50] [--tabs 5]
//        [--page-timeout-s 60] [--request-timeout-s 240] [--points-per-s 1000] [--stream-s 8] [--stream-trials 20] [--probe-ms 20]
import { execFileSync } from "node:child_process";
import os from "node:os";
import { PROJECT_ROOT } from "../server/app-server";
import { launchChromium } from "../test/support/browser";
import { perDatabaseKind } from "./shared/database-kinds";
import { writeReport } from "./shared/report-output";
import { measureRun, SORT_KEYS } from "./ui/measure";
import { readOptions } from "./ui/options";
import { BARS, REFERENCE } from "./ui/reference";
import { buildDashboard } from "./ui/server";

const options = readOptions();
/** Which tree was measured (read-only git queries): the commit, and how many files differ from it. */
function treeMeasured() {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return null;
    }
  };
  const status = git("status", "--porcelain");
  return { root: PROJECT_ROOT, commit: git("rev-parse", "HEAD"), files_changed_since: status === null ? null : status.split("\n").filter(Boolean).length };
}
const round = (x: number) => Math.round(x * 100) / 100;
const startedAt = new Date();
const loadBefore = os.loadavg();
console.error("building the dashboard when its sources changed…");
// A dashboard that does not build (sources mid-edit) is reported, not a crash: nothing else can be measured.
const dashboard_build_ms = await buildDashboard().catch((error: Error) => {
  writeReport({ bench: "ui", error: `the dashboard did not build: ${error.message}`, options }, options.out);
  process.exit(1);
});
const browser = await launchChromium();
let results: Record<string, unknown>;
try {
  results = await perDatabaseKind(options.kinds, async (kind) => {
    const bySize: Record<string, unknown> = {};
    for (const size of options.sizes) {
      try {
        bySize[size.label] = await measureRun(kind, size, options, browser);
      } catch (error) {
        console.error(`${kind} ${size.label}: ${(error as Error).stack}`);
        bySize[size.label] = { error: (error as Error).message.slice(0, 2000) };
      }
    }
    return bySize;
  });
} finally {
  await browser.close();
}
const report = {
  bench: "ui",
  what: "the sweep page at 1k and 10k trials in Chromium against the real server (production, no local workers), per database kind",
  started_at: startedAt.toISOString(),
  options: { ...options, sort_keys: SORT_KEYS },
  definitions: {
    interactive_ms: "(a second open of the page; the first open after the server's start is reported and barred beside it) navigation start → leaderboard and learning-curves data-ready and visible → a click on a sort button answered (data-sort changed); clicks repeat every 100 ms until one is",
    sort_ms: "click on button[data-sort-key] → data-sort is the key and the first row is the API's first for the order shown, plus one frame; each key clicked twice (both orders); the worst click counts",
    snapshot_bytes: "GET /api/sweeps/:id as sent when the client offers gzip, deflate, br (identity size beside it)",
    heap: "CDP Performance.getMetrics JSHeapUsedSize after interactive and after the stream, the larger (after-GC figure beside it)",
    health: `GET /api/health every ${options.probeEveryMs} ms from this process while ${options.tabs} tabs open the page at once`,
    stream: "one point = one epoch report (trial:epoch) of a fake worker on the real worker protocol; delay = first Date.now() in the page at which the trial's trial-epochs cell shows that epoch or later, minus Date.now() at send; visible rows only",
  },
  reference: REFERENCE,
  bars: BARS,
  machine: {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? "unknown",
    memory_gb: round(os.totalmem() / 1e9),
    load_average_1m_before: round(loadBefore[0]),
    load_average_1m_after: round(os.loadavg()[0]),
    node: process.version,
    chromium: browser.version(),
    note: "shared machine: other sessions' tests and builds may run at the same time (see load averages)",
  },
  tree: treeMeasured(),
  dashboard_build_ms,
  results,
};
writeReport(report, options.out);
