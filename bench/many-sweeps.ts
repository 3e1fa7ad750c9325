// The scheduler at 1,000 active sweeps (bench/scheduler/many-sweeps-run.ts): on PostgreSQL (a throwaway database on
// 127.0.0.1:5432; PGlite with --kinds pglite), printed beside the figures measured on main before the planning change.
// Usage: npm run bench:many-sweeps -- [--out FILE] [--sweeps 1000] [--concurrency 8] [--agents 2] [--settle-s 10] [--kinds postgres]
import os from "node:os";
import type { DatabaseKind } from "../server/db/client";
import { option } from "./shared/cli-options";
import { writeReport } from "./shared/report-output";
import { perDatabaseKind } from "./shared/database-kinds";
import { runManySweeps } from "./scheduler/many-sweeps-run";

const sweepCount = Number(option("sweeps", "1000"));
const concurrency = Number(option("concurrency", "8"));
const agentCount = Number(option("agents", "2"));
const settleMs = Number(option("settle-s", "10")) * 1000;
const kinds = option("kinds", "postgres").split(",") as DatabaseKind[];
const out = option("out", "");

/** Measured on main before the change (PostgreSQL, ~1,000 active small sweeps, 8 requests in flight). */
const BEFORE = { create_p50_ms: 4900, create_p95_ms: 10_800, lease_losses: 17, stop_all_ms: 572_000 };

const round = (x: number) => Math.round(x * 10) / 10;

const results = await perDatabaseKind(kinds, async (kind) => {
  console.error(`${kind}: ${sweepCount} sweeps, ${concurrency} creates in flight, ${agentCount} agents…`);
  const run = await runManySweeps(kind, { sweeps: sweepCount, trialsPerSweep: 10, concurrency, agents: agentCount, settleMs, healthEveryMs: 100 });
  return {
    ...run,
    before: BEFORE,
    speedup_vs_before: {
      create_p50: round(BEFORE.create_p50_ms / run.create_ms.p50),
      create_p95: round(BEFORE.create_p95_ms / run.create_ms.p95),
      stop_all: round(BEFORE.stop_all_ms / run.stop_all_ms),
    },
    bars: {
      create_p95_below_100_ms: run.create_ms.p95 < 100,
      no_lease_losses: run.lease_losses === 0,
      stop_all_below_10_s: run.stop_all_ms < 10_000,
      event_loop_p99_below_100_ms: run.event_loop_ms.during_creates.p99Ms < 100,
    },
  };
});
const report = {
  bench: "many-sweeps",
  what: "create and stop N small sweeps through the services, with scripted agents training throughout, in process",
  sweeps: sweepCount,
  concurrency,
  agents: agentCount,
  machine: { cpus: os.cpus().length, load_average_1m: round(os.loadavg()[0]), node: process.version },
  results,
};
writeReport(report, out);
