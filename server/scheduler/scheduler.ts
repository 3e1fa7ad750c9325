// The scheduler, as the server and the worker gateway see it: a facade over its three parts, which share one
// per-sweep runtime each (sweep-runtime.ts: document, sampler, pruner, cached trials):
//   planner.ts         proposes trials for the sweeps that need them (bounded per tick, fair) and finishes sweeps;
//   dispatcher.ts      claims waiting trials for idle workers (serialised on its own, never behind planning) and
//                      takes back lapsed leases;
//   report-handler.ts  applies workers' reports: epochs (and pruning), complete, failed, killed, heartbeats.
// Planning ticks are serialised and coalesced; each serves waiting workers before and after its batch.
import type { ArtifactStore } from "../artifacts/artifact-store";
import type { Database } from "../db/client";
import type { Publisher } from "../realtime/publisher";
import type { SweepRow, SweepStore } from "../sweeps/sweep-store";
import { CoalescedRuns } from "./coalesced-runs";
import { Dispatcher } from "./dispatcher";
import type { PlanningLocks } from "./planning-locks";
import { Planner } from "./planner";
import { ReportHandler } from "./report-handler";
import type { Ack, CompleteReport, FailedReport } from "./report-types";
import { SweepRuntimes } from "./sweep-runtime";
import { TrialCache } from "./trial-cache";
import { TrialLifecycle } from "./trial-lifecycle";
import type { TrialRow, TrialStore } from "./trial-store";
import type { WorkerRegistry } from "./worker-registry";

export type { Ack, CompleteReport, EpochReport, FailedReport } from "./report-types";

export interface SchedulerDeps {
  db: Database;
  sweeps: SweepStore;
  trials: TrialStore;
  workers: WorkerRegistry;
  publisher: Publisher;
  /** Where completed trials' weights were uploaded; a completion is accepted only once its blob is there. */
  artifacts: ArtifactStore;
  log?: (message: string) => void;
  /** Defaults to a fresh cache over `db`; tests pass their own to watch it. */
  trialCache?: TrialCache;
  /** Which sweeps this instance plans when several share the database; by default, all of them. */
  planningLocks?: PlanningLocks;
  /** How much one tick plans at most: the rest waits for the next tick (default 32 sweeps, 50 ms). */
  planningBatch?: { sweeps: number; ms: number };
  /** Tests interleave a pause or stop with a planning pass here: called after the pass read the sweep (its status)
   *  and before any of its writes. */
  planningHooks?: { afterRead?: (sweep: SweepRow) => Promise<void> };
}

/** How long a sweep nobody asked about keeps its runtime and cached trials. */
const CACHE_IDLE_MS = 10 * 60_000;

export class Scheduler {
  private readonly ticks: CoalescedRuns;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private housekeepingRunning = false;
  /** Whether the next tick scans the active sweeps for planning work (the periodic pass sets it). */
  private scanPending = true;
  /** Counts for tests and benchmarks. */
  readonly stats = { ticks: 0, plans: 0, scans: 0 };
  /** Every trial write goes through it (trial-lifecycle.ts); sweep controls use it to stop a sweep's trials. */
  readonly lifecycle: TrialLifecycle;
  readonly runtimes: SweepRuntimes;
  readonly planner: Planner;
  readonly dispatcher: Dispatcher;
  readonly reports: ReportHandler;

  constructor(private readonly deps: SchedulerDeps) {
    const { db, sweeps, trials, workers, publisher, artifacts, log, planningLocks } = deps;
    const cache = deps.trialCache ?? new TrialCache(db);
    this.runtimes = new SweepRuntimes(sweeps, cache);
    this.lifecycle = new TrialLifecycle({ trials, cache, workers, publisher, log, wake: () => planningLocks?.wakeups?.notify() });
    this.planner = new Planner({ ...deps, runtimes: this.runtimes, stats: this.stats });
    this.dispatcher = new Dispatcher({ workers, lifecycle: this.lifecycle, runtimes: this.runtimes, log });
    this.reports = new ReportHandler({ trials, workers, artifacts, lifecycle: this.lifecycle, runtimes: this.runtimes, log, planSoon: (id) => void this.requestTick(id) });
    // Logged here and retried by the next tick.
    this.ticks = new CoalescedRuns(
      () => this.tick(),
      (error) => log?.(`scheduler tick failed: ${(error as Error).stack ?? error}`),
    );
    // Another instance made trials claimable: serve this one's idle workers now.
    planningLocks?.wakeups?.onWake(() => void this.requestTick());
  }

  /** Periodic pass: expire lapsed leases and plan. Events trigger ticks too; the timer only catches what they miss. */
  start(intervalMs = 5000): void {
    this.timer = setInterval(() => void this.housekeeping(), intervalMs);
    this.timer.unref();
    void this.housekeeping();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
    await this.ticks.settled();
    await this.dispatcher.settled();
  }

  /** Coalesces requests: at most one tick runs and at most one more is queued behind it. `sweepId`: that sweep's
   *  planning inputs changed (created, edited, controlled, a trial finished), so the tick plans it; without one
   *  the tick hands out waiting trials and works off the planning queue. */
  requestTick(sweepId?: string): Promise<void> {
    if (sweepId) this.planner.mark(sweepId);
    return this.ticks.request();
  }

  /** Looks for planning work this instance was not told of (another instance's writes, a time budget running out):
   *  the next tick plans every active sweep whose planning inputs changed since this instance last planned it. */
  requestScan(): Promise<void> {
    this.scanPending = true;
    return this.requestTick();
  }

  /** A worker asks for a trial: served by the dispatcher's next claim, not after a planning tick. */
  workerIdle(workerId: string): Promise<void> {
    return this.dispatcher.workerIdle(workerId);
  }

  epochStored(workerId: string, trial: TrialRow, epoch: number): Promise<void> {
    return this.reports.epochStored(workerId, trial, epoch);
  }

  completeTrial(workerId: string, report: CompleteReport): Promise<Ack> {
    return this.reports.completeTrial(workerId, report);
  }

  failTrial(workerId: string, report: FailedReport): Promise<Ack> {
    return this.reports.failTrial(workerId, report);
  }

  heartbeat(workerId: string, trialId: string): Promise<void> {
    return this.reports.heartbeat(workerId, trialId);
  }

  private async housekeeping(): Promise<void> {
    // The timer does not wait for a slow pass (a busy database); passes piling up would only repeat each other.
    if (this.housekeepingRunning) return;
    this.housekeepingRunning = true;
    try {
      for (const trial of await this.dispatcher.expireLeases()) this.planner.mark(trial.sweepId);
      await this.requestScan();
    } catch (error) {
      this.deps.log?.(`scheduler housekeeping failed: ${(error as Error).message}`);
    } finally {
      this.housekeepingRunning = false;
    }
  }

  private async tick(): Promise<void> {
    this.stats.ticks += 1;
    this.runtimes.evictIdle(CACHE_IDLE_MS);
    // Workers already waiting are served before planning, so a claim never waits for it.
    await this.dispatcher.dispatch();
    if (this.scanPending) {
      this.scanPending = false;
      try {
        await this.planner.scan();
      } catch (error) {
        this.scanPending = true;
        throw error;
      }
    }
    await this.planner.planBatch();
    await this.dispatcher.dispatch();
    // The rest of the queue goes to the next tick, after whatever else the event loop has to do.
    if (this.planner.backlog > 0) setImmediate(() => this.stopped || void this.requestTick());
  }
}
