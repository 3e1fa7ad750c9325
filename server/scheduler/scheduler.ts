// Keeps each running sweep at its concurrency until the trial budget is spent, hands waiting trials to idle
// workers, applies their reports, and finishes sweeps. Ticks are serialised: one planning pass at a time.
import { SearchError } from "../../search/errors";
import { mixSeed } from "../../search/rng";
import { Study } from "../../search/study/study";
import type { Database } from "../db/client";
import type { Publisher } from "../realtime/publisher";
import { earlyStoppingFor, prunerFor, samplerFor } from "../sweeps/search-config";
import { searchSpaceOf, type SweepDocument } from "../sweeps/sweep-document";
import type { SweepRow, SweepStore } from "../sweeps/sweep-store";
import type { EpochMetrics, ModelArtifact, TestMetrics, TrainJob, TrialEvaluation } from "../training/types";

/** Reports carry the attempt they belong to: a lost attempt's late reports are refused. */
export interface EpochReport {
  trialId: string;
  attempt: number;
  epoch: number;
  metrics: EpochMetrics;
}
export interface CompleteReport {
  trialId: string;
  attempt: number;
  testMetrics: TestMetrics;
  artifact: ModelArtifact;
  stopReason?: string;
  evaluation?: TrialEvaluation;
}
export interface FailedReport {
  trialId: string;
  attempt: number;
  error: string;
}
import { withDefaults } from "../training/cnn-parameters";
import { budgetVerdict, type BudgetVerdict } from "./budget";
import { loadFrozenTrials } from "./study-view";
import type { ReportResult, TrialRow, TrialStore } from "./trial-store";
import type { WorkerRegistry } from "./worker-registry";

export interface SchedulerDeps {
  db: Database;
  sweeps: SweepStore;
  trials: TrialStore;
  workers: WorkerRegistry;
  publisher: Publisher;
  log?: (message: string) => void;
}

export type Ack = { ok: true } | { ok: false; error: string };

export class Scheduler {
  private tickChain: Promise<void> = Promise.resolve();
  private pendingTick: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly documents = new Map<string, SweepDocument>();

  constructor(private readonly deps: SchedulerDeps) {}

  /** Periodic pass: expire lapsed leases and plan. Events trigger ticks too; the timer only catches what they miss. */
  start(intervalMs = 5000): void {
    this.timer = setInterval(() => void this.housekeeping(), intervalMs);
    this.timer.unref();
    void this.housekeeping();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tickChain;
  }

  /** Coalesces requests: at most one tick runs and at most one more is queued behind it. */
  requestTick(): Promise<void> {
    if (this.pendingTick) return this.pendingTick;
    const next = this.tickChain.then(() => {
      this.pendingTick = null;
      return this.tick();
    });
    this.pendingTick = next;
    this.tickChain = next.catch((error) => this.deps.log?.(`scheduler tick failed: ${(error as Error).stack ?? error}`));
    return next;
  }

  async workerIdle(workerId: string): Promise<void> {
    const worker = this.deps.workers.get(workerId);
    if (worker) {
      worker.busyWith = null;
      worker.wantsWork = true;
    }
    await this.requestTick();
  }

  async recordEpoch(workerId: string, report: EpochReport): Promise<Ack> {
    const { trialId, attempt, epoch, metrics } = report;
    const trial = await this.deps.trials.get(trialId);
    if (!trial) return { ok: false, error: `unknown trial ${trialId}` };
    const document = await this.documentOf(trial.sweepId);
    const result = await this.deps.trials.recordEpoch(trialId, workerId, attempt, epoch, metrics, document.metric.name);
    if (result.ok && !result.duplicate) {
      this.deps.publisher.epochRecorded(trial.sweepId, trialId, { epoch, metrics: { ...metrics } });
      await this.deps.publisher.trialChanged(trialId);
      // Pruning after the last epoch would only throw away a finished model: the trial completes instead.
      const lastEpoch = epoch >= Number(withDefaults(result.trial.params).epochs);
      if (document.pruner && document.pruner.type !== "none" && !lastEpoch) await this.pruneIfTold(workerId, result.trial, document);
    }
    return toAck(result);
  }

  /** Asks the sweep's pruner about the trial's latest epoch; a "prune" ends the trial here and stops its worker.
   *  The decision uses only stored data, so any server instance would decide the same. */
  private async pruneIfTold(workerId: string, trial: TrialRow, document: SweepDocument): Promise<void> {
    const study = await this.studyOf({ id: trial.sweepId, document });
    const decision = study.pruner.shouldPrune(study, study.frozenTrial(trial.number));
    if (!decision.prune) return;
    const result = await this.deps.trials.prune(trial.id, decision.reason);
    if (!result.ok) return;
    this.deps.log?.(`trial ${trial.number} of sweep ${trial.sweepId}: ${decision.reason}`);
    const worker = this.deps.workers.get(workerId);
    if (worker?.busyWith === trial.id) worker.busyWith = null;
    worker?.stop(trial.id, decision.reason);
    await this.announce(result.trial);
    void this.requestTick();
  }

  async completeTrial(workerId: string, r: CompleteReport): Promise<Ack> {
    return this.afterFinish(workerId, await this.deps.trials.complete(r.trialId, workerId, r.attempt, r.testMetrics, r.artifact, r.stopReason, r.evaluation));
  }

  async failTrial(workerId: string, r: FailedReport): Promise<Ack> {
    return this.afterFinish(workerId, await this.deps.trials.fail(r.trialId, workerId, r.error, r.attempt));
  }

  async heartbeat(workerId: string, trialId: string): Promise<void> {
    const held = await this.deps.trials.extendLease(trialId, workerId);
    if (!held) this.deps.workers.get(workerId)?.stop(trialId, "the trial is no longer held by this worker");
  }

  private async afterFinish(workerId: string, result: ReportResult): Promise<Ack> {
    if (result.ok) {
      const worker = this.deps.workers.get(workerId);
      if (worker?.busyWith === result.trial.id) worker.busyWith = null;
      if (!result.duplicate) await this.announce(result.trial);
      void this.requestTick();
    }
    return toAck(result);
  }

  private async housekeeping(): Promise<void> {
    try {
      const { requeued, failed } = await this.deps.trials.expireLeases();
      for (const trial of [...requeued, ...failed]) {
        this.deps.log?.(`trial ${trial.number} of sweep ${trial.sweepId}: ${trial.state === "failed" ? trial.error : trial.stopReason}`);
        await this.announce(trial);
      }
      await this.requestTick();
    } catch (error) {
      this.deps.log?.(`scheduler housekeeping failed: ${(error as Error).message}`);
    }
  }

  private async tick(): Promise<void> {
    for (const sweep of await this.deps.sweeps.active()) await this.plan(sweep);
    await this.dispatch();
  }

  /** Tops the sweep up to its concurrency with new waiting trials proposed by its sampler (rebuilt from the
   *  stored trials, so a restarted server proposes what an uninterrupted one would), or finishes the sweep when
   *  the budget or the search space is spent. */
  private async plan(sweep: SweepRow): Promise<void> {
    const { budget } = sweep.document;
    if (sweep.status === "queued") {
      await this.deps.sweeps.setStatus(sweep.id, "running");
      await this.deps.publisher.sweepChanged(sweep.id);
    }
    const counts = await this.deps.trials.countsBySweep(sweep.id);
    let created = Object.values(counts).reduce((a, b) => a + b, 0);
    let active = counts.waiting + counts.running;
    let exhausted = false;
    const verdict = await this.budgetOf(sweep);
    if (!verdict.spent && active < budget.concurrency && created < budget.max_trials) {
      const study = await this.studyOf(sweep);
      while (active < budget.concurrency && created < budget.max_trials) {
        const proposal = propose(study);
        if (!proposal) {
          exhausted = true;
          break;
        }
        const row = await this.deps.trials.insertWaiting(sweep.id, proposal.number, proposal.params, proposal.systemAttrs);
        if (row) await this.deps.publisher.trialChanged(row.id);
        created += 1;
        active += 1;
      }
    }
    if ((created >= budget.max_trials || exhausted || verdict.spent) && active === 0) {
      const failure = verdict.spent && verdict.fail ? verdict.reason : counts.complete + counts.pruned === 0 ? `all ${created} trials failed` : null;
      await this.deps.sweeps.setStatus(sweep.id, failure ? "failed" : "finished", failure);
      await this.deps.publisher.sweepChanged(sweep.id);
      this.deps.log?.(`sweep ${sweep.name} ${failure ? `failed: ${failure}` : "finished"}${verdict.spent && !verdict.fail ? ` (${verdict.reason})` : ""}`);
    }
  }

  /** Time, target and failure limits; each is looked up only when the sweep sets it. */
  private async budgetOf(sweep: SweepRow): Promise<BudgetVerdict> {
    const { budget, metric } = sweep.document;
    return budgetVerdict(sweep.document, {
      createdAt: sweep.createdAt,
      now: new Date(),
      bestValue: budget.target_value === undefined ? null : await this.deps.trials.bestValue(sweep.id, metric.goal),
      recent: budget.max_consecutive_failures === undefined ? [] : await this.deps.trials.recentlyFinished(sweep.id, budget.max_consecutive_failures),
    });
  }

  /** The sweep's study as stored: its sampler and pruner over every trial and reported epoch so far. */
  private async studyOf(sweep: Pick<SweepRow, "id" | "document">): Promise<Study> {
    const document = sweep.document;
    const frozen = await loadFrozenTrials(this.deps.db, sweep.id, document.metric.name);
    return Study.fromTrials(frozen, {
      space: searchSpaceOf(document),
      direction: document.metric.goal,
      sampler: samplerFor(document.method),
      pruner: prunerFor(document.pruner, document.metric.name),
      seed: document.seed,
    });
  }

  private async dispatch(): Promise<void> {
    for (const worker of this.deps.workers.waitingForWork()) {
      const trial = await this.deps.trials.claimNext(worker.id, worker.name);
      if (!trial) return;
      worker.wantsWork = false;
      worker.busyWith = trial.id;
      worker.assign(this.jobFor(trial, await this.documentOf(trial.sweepId)));
      await this.announce(trial);
    }
  }

  private jobFor(trial: TrialRow, document: SweepDocument): TrainJob {
    return {
      trialId: trial.id,
      sweepSeed: document.seed,
      trialSeed: mixSeed(document.seed, trial.number, 0x7e1a1),
      dataset: { name: document.dataset.name, subset: document.dataset.subset, validationSplit: document.dataset.validation_split },
      template: document.model.template,
      params: trial.params,
      attempt: trial.attempt,
      ...(document.early_stopping ? { earlyStopping: earlyStoppingFor(document.early_stopping) } : {}),
      ...(document.checkpoint ? { checkpoint: { ...document.checkpoint } } : {}),
    };
  }

  private async announce(trial: TrialRow): Promise<void> {
    await this.deps.publisher.trialChanged(trial.id);
    await this.deps.publisher.sweepChanged(trial.sweepId);
  }

  /** Sweep documents never change after creation, so they are cached for report handling. */
  private async documentOf(sweepId: string): Promise<SweepDocument> {
    let document = this.documents.get(sweepId);
    if (!document) {
      const sweep = await this.deps.sweeps.get(sweepId);
      if (!sweep) throw new Error(`unknown sweep ${sweepId}`);
      document = sweep.document;
      this.documents.set(sweepId, document);
    }
    return document;
  }
}

/** The next trial's proposal, or null when a finite space has no unused configuration left. */
function propose(study: Study): { number: number; params: TrialRow["params"]; systemAttrs: Record<string, unknown> } | null {
  try {
    const trial = study.ask();
    const frozen = trial.frozen();
    return { number: frozen.number, params: frozen.params, systemAttrs: { ...frozen.systemAttrs } };
  } catch (error) {
    if (error instanceof SearchError && error.code === "space_exhausted") return null;
    throw error;
  }
}

function toAck(result: ReportResult): Ack {
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}
