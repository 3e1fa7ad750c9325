// The scheduler at 1,000 active sweeps: an in-process server on PostgreSQL (a throwaway database on 127.0.0.1:5432;
// PGlite with --kinds pglite) with scripted worker agents training all along, creates N small sweeps through the
// services with C creates in flight, then stops them all the same way. Measures create latency, this process's
// event-loop lag during the creates, how often a live worker lost its lease (trials re-run as a later attempt),
// and the time to stop every sweep; printed beside the figures measured on main before this change.
// Usage: npm run bench:many-sweeps -- [--out FILE] [--sweeps 1000] [--concurrency 8] [--agents 2] [--settle-s 10] [--kinds postgres]
import os from "node:os";
import type { DatabaseKind } from "../server/db/client";
import { startEventLoopMonitor } from "../server/event-loop-monitor";
import { startWorkerAgent } from "../server/worker/agent";
import { scriptedTrainer } from "../test/support/scripted-trainer";
import { tinySweep } from "../test/support/sweeps";
import { startTestServer } from "../test/support/test-server";
import { option } from "./shared/cli-options";
import { writeReport } from "./shared/report-output";
import { perDatabaseKind } from "./shared/database-kinds";
import { percentile } from "./shared/stats";
import { sweepState } from "../test/support/sweep-reads";

const sweepCount = Number(option("sweeps", "1000"));
const concurrency = Number(option("concurrency", "8"));
const agentCount = Number(option("agents", "2"));
const settleMs = Number(option("settle-s", "10")) * 1000;
const kinds = option("kinds", "postgres").split(",") as DatabaseKind[];
const out = option("out", "");

/** Measured on main before the change (PostgreSQL, ~1,000 active small sweeps, 8 requests in flight). */
const BEFORE = { create_p50_ms: 4900, create_p95_ms: 10_800, lease_losses: 17, stop_all_ms: 572_000 };

const round = (x: number) => Math.round(x * 10) / 10;

/** Runs `task` on 0…n-1 with `width` in flight; returns each one's duration in ms. */
async function inFlight(n: number, width: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) {
      const started = performance.now();
      await task(i);
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return times;
}

async function measure(kind: DatabaseKind): Promise<Record<string, unknown>> {
  // The lease of a live deployment (10 s): a worker loses it only when its heartbeats go unanswered that long.
  const server = await startTestServer(kind, { leaseMs: 10_000 });
  const agents = Array.from({ length: agentCount }, (_, i) =>
    startWorkerAgent({ serverUrl: server.app.url, token: "test-token-123", name: `bench-${i}`, backend: "test", trainer: scriptedTrainer({ epochs: 2, epochDelayMs: 100 }) }),
  );
  try {
    await Promise.all(agents.map((a) => a.ready));
    const { services } = server.app;
    const ids: string[] = [];
    const lag = startEventLoopMonitor({ intervalMs: 3_600_000 });
    const createMs = await inFlight(sweepCount, concurrency, async (i) => {
      const created = await services.sweeps.create(tinySweep({ name: `many-${i}`, max_trials: 10, concurrency: 1, epochs: 2 }));
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      ids.push(created.id);
    });
    lag.rollOver();
    const duringCreates = lag.lag();
    // How long until every sweep was planned (has its first trial): the planning backlog the creates left.
    const createsEnded = performance.now();
    let drainedMs: number | null = null;
    while (drainedMs === null && performance.now() - createsEnded < 120_000) {
      const unplanned = (await services.sweeps.list()).filter((s) => ids.includes(s.id) && Object.values(s.trialCounts).every((n) => n === 0));
      if (unplanned.length === 0) drainedMs = performance.now() - createsEnded;
      else await new Promise((r) => setTimeout(r, 250));
    }
    // The workers keep training among the 1,000 active sweeps for a while: their leases must hold all along.
    await new Promise((r) => setTimeout(r, settleMs));
    lag.rollOver();
    const whileActive = lag.lag();
    const stopStarted = performance.now();
    const stopMs = await inFlight(ids.length, concurrency, async (i) => void (await services.sweeps.control(ids[i], "stop")));
    const stopAllMs = performance.now() - stopStarted;
    lag.stop();
    // Each re-run attempt is a lease that lapsed (the trial was re-queued); read back through the services.
    const tally = { lost: 0, complete: 0, trials: 0 };
    await inFlight(ids.length, concurrency, async (i) => {
      for (const trial of (await sweepState(services, ids[i])).trials) {
        tally.lost += trial.attempt;
        tally.complete += trial.state === "complete" ? 1 : 0;
        tally.trials += 1;
      }
    });
    const createP50 = percentile(createMs, 50);
    const createP95 = percentile(createMs, 95);
    const leaseLosses = tally.lost;
    return {
      sweeps: ids.length,
      trials: tally.trials,
      trials_complete: tally.complete,
      create_ms: { p50: round(createP50), p95: round(createP95), max: round(Math.max(...createMs)) },
      plan_backlog_drained_ms: drainedMs === null ? "not within 120 s" : round(drainedMs),
      scheduler: { ...server.app.scheduler.stats },
      event_loop_ms: { during_creates: duringCreates, while_active: whileActive },
      lease_losses: leaseLosses,
      stop_all_ms: round(stopAllMs),
      stop_ms: { p50: round(percentile(stopMs, 50)), p95: round(percentile(stopMs, 95)) },
      before: BEFORE,
      speedup_vs_before: {
        create_p50: round(BEFORE.create_p50_ms / createP50),
        create_p95: round(BEFORE.create_p95_ms / createP95),
        stop_all: round(BEFORE.stop_all_ms / stopAllMs),
      },
      bars: {
        create_p95_below_100_ms: createP95 < 100,
        no_lease_losses: leaseLosses === 0,
        stop_all_below_10_s: stopAllMs < 10_000,
        event_loop_p99_below_100_ms: duringCreates.p99Ms < 100,
      },
    };
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    await server.stop();
  }
}

const results = await perDatabaseKind(kinds, (kind) => {
  console.error(`${kind}: ${sweepCount} sweeps, ${concurrency} creates in flight, ${agentCount} agents…`);
  return measure(kind);
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
