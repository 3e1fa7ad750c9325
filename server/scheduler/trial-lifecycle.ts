// Every trial write the server makes, in the spirit of Optuna's `_tell`: each one is a guarded move of the
// TrialStore (trial-moves.ts checks it against the state table and applies it in one statement), followed, once,
// by what a move implies: the scheduler's trial cache takes the row the write returned, the worker's handle is
// freed (and told to stop when the server ended its trial), and the dashboard hears of it. Nothing else writes
// a trial's state.
import type { Publisher } from "../realtime/publisher";
import type { TrainJob } from "../training/types";
import type { TrialCache } from "./trial-cache";
import type { ReportResult, TrialRow, TrialStore } from "./trial-store";
import type { WorkerHandle, WorkerRegistry } from "./worker-registry";
import { isGpuBackend } from "./worker-registry";

/** The reason a sweep's stop gives the trials it ends (their stopReason). */
export const STOPPED_BY_SWEEP = "sweep stopped";

export interface TrialLifecycleDeps {
  trials: TrialStore;
  cache: TrialCache;
  workers: WorkerRegistry;
  publisher: Publisher;
  log?: (message: string) => void;
  /** Trials became claimable (re-queued): wake the other instances' dispatchers. */
  wake?: () => void;
}

/** What a worker reported at the end of its attempt (the scheduler checked its artifact before). */
export type Outcome =
  | { kind: "complete"; args: Parameters<TrialStore["complete"]> }
  | { kind: "failed"; trialId: string; attempt: number; error: string }
  | { kind: "killed"; trialId: string; attempt: number; error: string };

export class TrialLifecycle {
  constructor(private readonly deps: TrialLifecycleDeps) {}

  /** Hands waiting trials to the idle workers (one claim for all), sends each its job, then tells the dashboard:
   *  the rows at once (in hand), each sweep's summary once per claim and off the claim's path, so the next claim
   *  never waits for those reads. */
  async claim(idle: readonly WorkerHandle[], jobFor: (trial: TrialRow) => Promise<TrainJob>): Promise<TrialRow[]> {
    if (idle.length === 0) return [];
    const byId = new Map(idle.map((w) => [w.id, w]));
    const claimed = await this.deps.trials.claimNextFor(idle.map((w) => ({ id: w.id, name: w.name, gpu: isGpuBackend(w.backend) })));
    for (const trial of claimed) {
      this.deps.cache.apply(trial);
      const worker = byId.get(trial.workerId!)!;
      worker.wantsWork = false;
      worker.busyWith = trial.id;
      worker.assign(await jobFor(trial));
    }
    await Promise.all(claimed.map((trial) => this.deps.publisher.trialChanged(trial.id, trial)));
    const sweeps = [...new Set(claimed.map((trial) => trial.sweepId))];
    void Promise.all(sweeps.map((id) => this.deps.publisher.sweepChanged(id))).catch((error: Error) => this.deps.log?.(`publishing claimed trials' sweeps failed: ${error.message}`));
    return claimed;
  }

  /** An epoch was stored (epoch-store.ts, group-committed): the cache takes the row as that epoch left it. */
  epochStored(trial: TrialRow, epoch: number): void {
    this.deps.cache.apply(trial, epoch);
  }

  /** The worker's end of an attempt: complete, failed (training raised), or killed (its trainer died of a signal:
   *  an infrastructure fault, so the trial runs again as its next attempt, within maxAttempts). */
  async report(workerId: string, outcome: Outcome): Promise<ReportResult> {
    const { trials } = this.deps;
    const result =
      outcome.kind === "complete"
        ? await trials.complete(...outcome.args)
        : outcome.kind === "failed"
          ? await trials.fail(outcome.trialId, workerId, outcome.error, outcome.attempt)
          : await trials.retry(outcome.trialId, workerId, outcome.attempt, outcome.error);
    if (!result.ok) return result;
    const worker = this.deps.workers.get(workerId);
    if (worker?.busyWith === result.trial.id) worker.busyWith = null;
    if (!result.duplicate) {
      await this.settled([result.trial]);
      if (result.trial.state === "waiting") {
        this.deps.log?.(`trial ${result.trial.number} of sweep ${result.trial.sweepId}: ${result.trial.stopReason}`);
        this.deps.wake?.();
      }
    }
    return result;
  }

  /** The pruner decided: the trial ends now and its worker is told to stop. */
  async prune(workerId: string, trial: TrialRow, reason: string): Promise<boolean> {
    const result = await this.deps.trials.prune(trial.id, reason);
    if (!result.ok) return false;
    this.deps.log?.(`trial ${trial.number} of sweep ${trial.sweepId}: ${reason}`);
    this.release(workerId, trial.id, reason);
    await this.settled([result.trial]);
    return true;
  }

  /** The sweep was stopped: its unfinished trials end as "stopped" in one statement; the workers of the running
   *  ones stop and send the model trained so far (TrialStore.complete keeps it for the stopped trial). */
  async stopSweep(sweepId: string, reason = STOPPED_BY_SWEEP): Promise<TrialRow[]> {
    const stopped = await this.deps.trials.stopUnfinished(sweepId, reason);
    for (const trial of stopped) if (trial.workerId) this.release(trial.workerId, trial.id, reason, { keepModel: true });
    // One sweep update for all of them, not one per trial.
    for (const trial of stopped) this.deps.cache.apply(trial);
    for (const trial of stopped) await this.deps.publisher.trialChanged(trial.id, trial);
    return stopped;
  }

  /** Lapsed leases: those trials are re-queued as their next attempt, or failed without attempts left. */
  async expireLeases(): Promise<TrialRow[]> {
    const { requeued, failed } = await this.deps.trials.expireLeases();
    if (requeued.length) this.deps.wake?.();
    for (const trial of [...requeued, ...failed]) {
      this.deps.log?.(`trial ${trial.number} of sweep ${trial.sweepId}: ${trial.state === "failed" ? trial.error : trial.stopReason}`);
    }
    await this.settled([...requeued, ...failed]);
    return [...requeued, ...failed];
  }

  private release(workerId: string, trialId: string, reason: string, options?: { keepModel?: boolean }): void {
    const worker = this.deps.workers.get(workerId);
    if (worker?.busyWith === trialId) worker.busyWith = null;
    worker?.stop(trialId, reason, options);
  }

  private async settled(rows: readonly TrialRow[]): Promise<void> {
    for (const trial of rows) this.deps.cache.apply(trial);
    for (const trial of rows) await this.deps.publisher.trialChanged(trial.id, trial);
    // One summary per sweep, not per trial: a lease sweep can settle many trials of one sweep at once.
    for (const sweepId of new Set(rows.map((trial) => trial.sweepId))) await this.deps.publisher.sweepChanged(sweepId);
  }
}
