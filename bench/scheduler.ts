// Scheduler overhead per trial, claim → assignment: a worker says "idle" and the scheduler (tick: plan the active
// sweep, claim, build the job) hands it a trial, with 1,000 trials queued, on PostgreSQL (a throwaway database on
// 127.0.0.1:5432; skipped with a message when unreachable) and PGlite. Beside it, in the same run and interleaved
// block by block so both see the same machine noise, the reference: the bare claim (SELECT … FOR UPDATE SKIP LOCKED
// + guarded UPDATE in one transaction) through the same driver; on PostgreSQL also that claim with a durable commit.
// With --sweeps N: the scale bars instead (bench/scheduler/many-sweeps-run.ts): N active sweeps × 10 trials
// with 16 agents training among them: claim p95 < 10 ms, no lease lost by a live worker, create p95 < 100 ms,
// stopping all < 10 s, /api/health p99 < 100 ms, each with its pass/fail.
// Usage: npm run bench:scheduler -- [--out FILE] [--claims 600] [--queued 1000] [--block 25] [--kinds postgres,pglite]
//        npm run bench:scheduler -- --sweeps 1000 [--agents 16] [--concurrency 8] [--settle-s 10] [--kinds postgres,pglite] [--log FILE]
import { appendFileSync } from "node:fs";
import os from "node:os";
import type { DatabaseKind } from "../server/db/client";
import { createTestDatabase, type TestDatabase } from "../test/support/databases";
import { perDatabaseKind } from "./shared/database-kinds";
import { option } from "./shared/cli-options";
import { writeReport } from "./shared/report-output";
import { percentile } from "./shared/stats";
import { referenceClaimer, schedulerClaimer, type Claimer } from "./scheduler/queues";
import { runManySweeps } from "./scheduler/many-sweeps-run";

const BAR_P95_MS = 10;
const claims = Number(option("claims", "600"));
const queued = Number(option("queued", "1000"));
const block = Number(option("block", "25"));
const kinds = option("kinds", "postgres,pglite").split(",") as DatabaseKind[];
const out = option("out", "");
const sweeps = Number(option("sweeps", "0"));
/** The scale bars (issue 10). */
const SCALE_BARS = { claim_p95_ms: 10, create_p95_ms: 100, stop_all_ms: 10_000, health_p99_ms: 100 };

interface Timing {
  p50_ms: number;
  p95_ms: number;
  mean_ms: number;
  max_ms: number;
}

const timing = (ms: number[]): Timing => ({
  p50_ms: round(percentile(ms, 50)),
  p95_ms: round(percentile(ms, 95)),
  mean_ms: round(ms.reduce((a, b) => a + b, 0) / ms.length),
  max_ms: round(Math.max(...ms)),
});
const round = (x: number) => Math.round(x * 1000) / 1000;

/** Each claimer on its own throwaway database of the same kind, so that one's claims never take the other's trials. */
async function measure(kind: DatabaseKind): Promise<Record<string, unknown>> {
  const databases: TestDatabase[] = [];
  const open = async () => (databases.push(await createTestDatabase(kind)), databases.at(-1)!.handle.db);
  try {
    const claimers: Record<string, Claimer> = {
      scheduler: await schedulerClaimer(await open(), queued),
      reference: await referenceClaimer(await open(), queued),
    };
    if (kind === "postgres") claimers.reference_durable_commit = await referenceClaimer(await open(), queued, true);
    const times = Object.fromEntries(Object.keys(claimers).map((name) => [name, [] as number[]]));
    for (const claimer of Object.values(claimers)) for (let i = 0; i < 20; i++) await claimer.claimOnce(); // warm-up
    for (let done = 0; done < claims; done += block) {
      for (const [name, claimer] of Object.entries(claimers)) {
        for (let i = 0; i < Math.min(block, claims - done); i++) times[name].push(await claimer.claimOnce());
      }
    }
    for (const claimer of Object.values(claimers)) await claimer.close();
    const result: Record<string, unknown> = Object.fromEntries(Object.entries(times).map(([name, ms]) => [name, timing(ms)]));
    const [ours, ref] = [result.scheduler as Timing, result.reference as Timing];
    result.ratio_to_reference = { p50: round(ours.p50_ms / ref.p50_ms), p95: round(ours.p95_ms / ref.p95_ms) };
    result.overhead_over_reference_ms = { p50: round(ours.p50_ms - ref.p50_ms), p95: round(ours.p95_ms - ref.p95_ms) };
    result.bar = { p95_below_ms: BAR_P95_MS, pass: ours.p95_ms < BAR_P95_MS };
    return result;
  } finally {
    for (const database of databases) await database.drop();
  }
}

/** N active sweeps with agents training among them, judged against the scale bars. */
async function measureScale(kind: DatabaseKind): Promise<Record<string, unknown>> {
  const agents = Number(option("agents", "16"));
  const run = await runManySweeps(kind, {
    sweeps,
    trialsPerSweep: 10,
    concurrency: Number(option("concurrency", "8")),
    agents,
    settleMs: Number(option("settle-s", "10")) * 1000,
    healthEveryMs: 100,
    ...(option("log", "") && { log: (message: string) => appendFileSync(option("log", ""), `${new Date().toISOString()} ${message}\n`) }),
  });
  const bar = (value: number, below: number) => ({ value, below, pass: value < below });
  return {
    ...run,
    agents,
    bars: {
      claim_p95_ms: bar(run.claim_wait_ms.p95, SCALE_BARS.claim_p95_ms),
      lease_losses: { value: run.lease_losses, equals: 0, pass: run.lease_losses === 0 },
      create_p95_ms: bar(run.create_ms.p95, SCALE_BARS.create_p95_ms),
      stop_all_ms: bar(run.stop_all_ms, SCALE_BARS.stop_all_ms),
      health_p99_ms: bar(run.health_ms.p99, SCALE_BARS.health_p99_ms),
    },
  };
}

const results = await perDatabaseKind(kinds, (kind) => {
  console.error(sweeps > 0 ? `${kind}: ${sweeps} active sweeps…` : `${kind}: ${claims} claims with ${queued} trials queued…`);
  return sweeps > 0 ? measureScale(kind) : measure(kind);
});
const loadAverage = os.loadavg().map(round);
const report = {
  bench: "scheduler",
  what:
    sweeps > 0
      ? `${sweeps} active sweeps × 10 trials with scripted agents training among them: creates, claims, leases, /api/health, stop-all, in process`
      : "claim → assignment per trial (a worker's idle message to its assignment), sequential, in process",
  ...(sweeps > 0 ? { sweeps } : { claims, queued }),
  machine: { cpus: os.cpus().length, load_average_1m: loadAverage[0], load_average_1_5_15m: loadAverage, node: process.version },
  results,
};
writeReport(report, out);
