// One run of the scheduler among many active sweeps, shared by bench:many-sweeps and bench:scheduler --sweeps: an
// in-process server with scripted worker agents training all along creates N small sweeps through the services
// with C creates in flight, lets the agents train among them, then stops them all the same way. Measures create
// latency, the claim wait of the agents (idle → assignment, as the dispatcher saw it), /api/health from a prober
// thread throughout, this process's event-loop lag, how often a live worker lost its lease (trials re-run as a later
// attempt), and the time to stop every sweep.
import type { DatabaseKind } from "../../server/db/client";
import { startEventLoopMonitor } from "../../server/event-loop-monitor";
import { startWorkerAgent } from "../../server/worker/agent";
import { scriptedTrainer } from "../../test/support/scripted-trainer";
import { sweepState } from "../../test/support/sweep-reads";
import { tinySweep } from "../../test/support/sweeps";
import { startTestServer } from "../../test/support/test-server";
import { startHealthProbe } from "../ui/health-probe";
import { percentile } from "../shared/stats";

export interface ManySweepsOptions {
  sweeps: number;
  trialsPerSweep: number;
  /** Creates (and stops) in flight. */
  concurrency: number;
  agents: number;
  settleMs: number;
  /** /api/health is probed this often throughout. */
  healthEveryMs: number;
  /** The server's and the agents' log lines (off by default). */
  log?: (message: string) => void;
}

const round = (x: number) => Math.round(x * 10) / 10;
const figures = (ms: number[]) => ({ p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), max: round(Math.max(...ms)), n: ms.length });

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

export async function runManySweeps(kind: DatabaseKind, o: ManySweepsOptions) {
  // The lease of a live deployment (10 s): a worker loses it only when its heartbeats go unanswered that long.
  const server = await startTestServer(kind, { leaseMs: 10_000, log: o.log });
  const agents = Array.from({ length: o.agents }, (_, i) =>
    startWorkerAgent({ serverUrl: server.app.url, token: "test-token-123", name: `bench-${i}`, backend: "test", log: o.log, trainer: scriptedTrainer({ epochs: 2, epochDelayMs: 100 }) }),
  );
  try {
    await Promise.all(agents.map((a) => a.ready));
    const { services, scheduler } = server.app;
    const ids: string[] = [];
    const health = startHealthProbe(server.app.url, o.healthEveryMs, undefined, 30_000);
    const lag = startEventLoopMonitor({ intervalMs: 3_600_000 });
    scheduler.dispatcher.claimWaits.clear();
    const createMs = await inFlight(o.sweeps, o.concurrency, async (i) => {
      const created = await services.sweeps.create(tinySweep({ name: `many-${i}`, max_trials: o.trialsPerSweep, concurrency: 1, epochs: 2 }));
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
    // Until every sweep had its first trial, idle workers also waited for planning: those waits are kept apart.
    const claimWaitsWhileCreating = scheduler.dispatcher.claimWaits.list();
    scheduler.dispatcher.claimWaits.clear();
    // The workers keep training among the active sweeps for a while: their leases must hold all along.
    await new Promise((r) => setTimeout(r, o.settleMs));
    lag.rollOver();
    const whileActive = lag.lag();
    const claimWaits = scheduler.dispatcher.claimWaits.list();
    const stopStarted = performance.now();
    const stopMs = await inFlight(ids.length, o.concurrency, async (i) => void (await services.sweeps.control(ids[i], "stop")));
    const stopAllMs = performance.now() - stopStarted;
    lag.rollOver();
    const duringStops = lag.lag();
    lag.stop();
    const healthFigures = await health.stop();
    // Each re-run attempt is a lease that lapsed (the trial was re-queued); read back through the services.
    const tally = { lost: 0, complete: 0, stopped: 0, trials: 0 };
    await inFlight(ids.length, o.concurrency, async (i) => {
      for (const trial of (await sweepState(services, ids[i])).trials) {
        tally.lost += trial.attempt;
        tally.complete += trial.state === "complete" ? 1 : 0;
        tally.stopped += trial.state === "stopped" ? 1 : 0;
        tally.trials += 1;
      }
    });
    return {
      sweeps: ids.length,
      trials: tally.trials,
      trials_complete: tally.complete,
      trials_stopped: tally.stopped,
      create_ms: figures(createMs),
      /** With every sweep active and trials waiting (the bar's figure); and while the sweeps were being created. */
      claim_wait_ms: figures(claimWaits),
      claim_wait_while_creating_ms: figures(claimWaitsWhileCreating),
      plan_backlog_drained_ms: drainedMs === null ? "not within 120 s" : round(drainedMs),
      scheduler: { ...scheduler.stats, runtimes_built: scheduler.runtimes.builds },
      event_loop_ms: { during_creates: duringCreates, while_active: whileActive, during_stops: duringStops },
      // The test server runs without the Next dashboard, so /api/health is answered by the request gate's fallback
      // (404, counted as not ok by the prober): the time is still this server's answer through its HTTP path.
      health_ms: { probes: healthFigures.probes, not_ok: healthFigures.failed, p50: healthFigures.p50_ms, p99: healthFigures.p99_ms, max: healthFigures.max_ms },
      lease_losses: tally.lost,
      stop_all_ms: round(stopAllMs),
      stop_ms: figures(stopMs),
    };
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    await server.stop();
  }
}

export type ManySweepsFigures = Awaited<ReturnType<typeof runManySweeps>>;
