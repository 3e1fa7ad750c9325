// Hands waiting trials to idle workers and takes back lapsed leases. Claims are serialised and coalesced on their
// own (coalesced-runs.ts), apart from planning ticks: a worker asking for work is served by the next claim, never
// after a planning batch, and two claims never offer the same idle worker a trial each.
import { CoalescedRuns } from "./coalesced-runs";
import { RecentSamples } from "./recent-samples";
import type { SweepRuntimes } from "./sweep-runtime";
import type { TrialLifecycle } from "./trial-lifecycle";
import type { TrialRow } from "./trial-store";
import type { WorkerRegistry } from "./worker-registry";

export interface DispatcherDeps {
  workers: WorkerRegistry;
  lifecycle: TrialLifecycle;
  runtimes: SweepRuntimes;
  log?: (message: string) => void;
}

export class Dispatcher {
  private readonly runs: CoalescedRuns;
  /** When each waiting worker said "idle": what it waited until its assignment is kept in `claimWaits`. */
  private readonly idleSince = new Map<string, number>();
  /** Recent idle → assignment waits in ms (benchmarks read them). */
  readonly claimWaits = new RecentSamples();

  constructor(private readonly deps: DispatcherDeps) {
    this.runs = new CoalescedRuns(
      () => this.claim(),
      (error) => deps.log?.(`claiming trials failed: ${(error as Error).stack ?? error}`),
    );
  }

  /** The worker asked for a trial: it gets one from the next claim, or from the first claim after planning
   *  inserted one. */
  workerIdle(workerId: string): Promise<void> {
    const worker = this.deps.workers.get(workerId);
    if (worker) {
      worker.busyWith = null;
      worker.wantsWork = true;
      if (!this.idleSince.has(workerId)) this.idleSince.set(workerId, performance.now());
    }
    return this.dispatch();
  }

  /** Serves every worker waiting for work in one claim; resolves once a claim that started after this call ended. */
  dispatch(): Promise<void> {
    return this.runs.request();
  }

  /** Running trials whose holder stopped renewing its lease are re-queued (or failed without attempts left). */
  expireLeases(): Promise<TrialRow[]> {
    return this.deps.lifecycle.expireLeases();
  }

  settled(): Promise<void> {
    return this.runs.settled();
  }

  private async claim(): Promise<void> {
    const { workers, lifecycle, runtimes } = this.deps;
    const idle = workers.waitingForWork();
    for (const id of this.idleSince.keys()) if (!workers.get(id)?.wantsWork) this.idleSince.delete(id);
    await lifecycle.claim(idle, async (trial) => {
      const job = (await runtimes.of(trial.sweepId)).jobFor(trial);
      // The job goes out right after this returns: the worker's wait ends here.
      const since = this.idleSince.get(trial.workerId!);
      this.idleSince.delete(trial.workerId!);
      if (since !== undefined) this.claimWaits.add(performance.now() - since);
      return job;
    });
  }
}
