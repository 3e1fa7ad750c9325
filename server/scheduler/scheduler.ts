// Keeps each running sweep at its concurrency until the trial budget is spent, hands waiting trials to idle
// workers, applies their reports, and finishes sweeps. Ticks are serialised, and each plans a bounded batch of the
// sweeps that have something to plan (see planning-queue.ts), so claims never wait behind a pass over every sweep.
import { mixSeed } from "../../search/rng";
import type { Database } from "../db/client";
import type { Publisher } from "../realtime/publisher";
import { datasetRefOf } from "../sweeps/dataset-document";
import { earlyStoppingFor } from "../sweeps/search-config";
import type { SweepDocument } from "../sweeps/sweep-document";
import type { SweepRow, SweepStore } from "../sweeps/sweep-store";
import type { EpochMetrics, StoredModelArtifact, TestMetrics, TrainJob, TrialEvaluation } from "../training/types";
import type { ArtifactStore } from "../artifacts/artifact-store";

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
  /** The weights by reference: uploaded to the artifact store before the report. */
  artifact: StoredModelArtifact;
  stopReason?: string;
  evaluation?: TrialEvaluation;
}
export interface FailedReport {
  trialId: string;
  attempt: number;
  error: string;
  /** "killed": the trainer process died of a signal (OOM killer, kill -9), an infrastructure fault: the trial is
   *  re-queued as its next attempt. Absent (older workers) or "error": training raised, and the trial fails. */
  kind?: "error" | "killed";
}
import { withDefaults } from "../training/cnn-parameters";
import { budgetVerdict, type BudgetVerdict } from "./budget";
import { studyViewOf, tallyTrials } from "./study-view";
import { TrialCache } from "./trial-cache";
import { SOLE_PLANNER, type PlanningLocks } from "./planning-locks";
import { activeSweepCounts, activeSweepsAmong, planningFingerprint, PlanningQueue, type StateCounts } from "./planning-queue";
import { proposeUpTo, StudyCache } from "./study-cache";
import { TrialLifecycle } from "./trial-lifecycle";
import type { ReportResult, TrialRow, TrialStore } from "./trial-store";
import type { WorkerRegistry } from "./worker-registry";

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

/** Sweeps planned at once (overlapping their database round trips, leaving connections free), and cache lifetime. */
const PLANNING_LANES = 4;
const CACHE_IDLE_MS = 10 * 60_000;

export type Ack = { ok: true } | { ok: false; error: string };

export class Scheduler {
  private tickChain: Promise<void> = Promise.resolve();
  private pendingTick: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private housekeepingRunning = false;
  /** Whether the next tick scans the active sweeps for planning work (the periodic pass sets it). */
  private scanPending = true;
  private readonly queue = new PlanningQueue();
  private readonly studies = new StudyCache();
  /** Counts for tests and benchmarks. */
  readonly stats = { ticks: 0, plans: 0, scans: 0 };
  private readonly documents = new Map<string, SweepDocument>();
  /** What the sampler and pruner read, kept current from this scheduler's own writes (see trial-cache.ts). */
  private readonly trialCache: TrialCache;
  /** Every trial write goes through it (trial-lifecycle.ts); sweep controls use it to stop a sweep's trials. */
  readonly lifecycle: TrialLifecycle;

  constructor(private readonly deps: SchedulerDeps) {
    this.trialCache = deps.trialCache ?? new TrialCache(deps.db);
    const { trials, workers, publisher, log } = deps;
    this.lifecycle = new TrialLifecycle({ trials, cache: this.trialCache, workers, publisher, log, wake: () => deps.planningLocks?.wakeups?.notify() });
    deps.planningLocks?.wakeups?.onWake(() => void this.requestTick());
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
    await this.tickChain;
  }

  /** Coalesces requests: at most one tick runs and at most one more is queued behind it. `sweepId`: that sweep's
   *  planning inputs changed (created, edited, controlled, a trial finished), so the tick plans it; without one
   *  (a worker asking for work) the tick only hands out waiting trials and works off the planning queue. */
  requestTick(sweepId?: string): Promise<void> {
    if (sweepId) this.queue.mark(sweepId);
    if (this.pendingTick) return this.pendingTick;
    const next = this.tickChain
      .then(() => {
        this.pendingTick = null;
        return this.tick();
      })
      // Logged here and retried by the next tick. Callers fire and forget, so this must never reject: an unhandled
      // rejection would take the whole server down.
      .catch((error) => this.deps.log?.(`scheduler tick failed: ${(error as Error).stack ?? error}`));
    this.pendingTick = next;
    this.tickChain = next;
    return next;
  }

  /** Looks for planning work this instance was not told of (another instance's writes, a time budget running out):
   *  the next tick plans every active sweep whose planning inputs changed since this instance last planned it. */
  requestScan(): Promise<void> {
    this.scanPending = true;
    return this.requestTick();
  }

  async workerIdle(workerId: string): Promise<void> {
    const worker = this.deps.workers.get(workerId);
    if (worker) {
      worker.busyWith = null;
      worker.wantsWork = true;
    }
    await this.requestTick();
  }

  /** Runs after an epoch report is committed (by the group commit in epoch-ingest.ts), once per stored epoch and
   *  before the worker's ack: `trial` is the row as updated by that epoch. */
  async epochStored(workerId: string, trial: TrialRow, epoch: number): Promise<void> {
    this.lifecycle.epochStored(trial, epoch);
    const document = await this.documentOf(trial.sweepId);
    // Pruning after the last epoch would only throw away a finished model: the trial completes instead.
    const lastEpoch = epoch >= Number(withDefaults(trial.params).epochs);
    if (document.pruner && document.pruner.type !== "none" && !lastEpoch) await this.pruneIfTold(workerId, trial, document);
  }

  /** Asks the sweep's pruner about the trial's latest epoch; a "prune" ends the trial here and stops its worker.
   *  The decision uses only stored data, so any server instance would decide the same. */
  private async pruneIfTold(workerId: string, trial: TrialRow, document: SweepDocument): Promise<void> {
    const frozen = await this.trialCache.frozenTrials(trial.sweepId, document.metric.name);
    const { pruner } = this.studies.parts(trial.sweepId, document);
    const self = frozen.find((t) => t.number === trial.number);
    const decision = pruner && self ? pruner.shouldPrune(studyViewOf(document, frozen), self) : null;
    if (decision?.prune && (await this.lifecycle.prune(workerId, trial, decision.reason))) void this.requestTick(trial.sweepId);
  }

  async completeTrial(workerId: string, r: CompleteReport): Promise<Ack> {
    const { sha256, bytes } = r.artifact.weights;
    const stored = await this.deps.artifacts.stat(sha256);
    if (!stored) return { ok: false, error: `the weights ${sha256} were not uploaded (PUT /api/worker/artifacts/${sha256} first)` };
    if (stored.bytes !== bytes) return { ok: false, error: `the weights ${sha256} are ${stored.bytes} bytes, not the reported ${bytes}` };
    const args = [r.trialId, workerId, r.attempt, r.testMetrics, r.artifact, r.stopReason, r.evaluation] as const;
    return this.afterFinish(await this.lifecycle.report(workerId, { kind: "complete", args: [...args] }));
  }

  async failTrial(workerId: string, r: FailedReport): Promise<Ack> {
    return this.afterFinish(await this.lifecycle.report(workerId, { kind: r.kind === "killed" ? "killed" : "failed", trialId: r.trialId, attempt: r.attempt, error: r.error }));
  }

  async heartbeat(workerId: string, trialId: string): Promise<void> {
    const held = await this.deps.trials.extendLease(trialId, workerId);
    if (!held) this.deps.workers.get(workerId)?.stop(trialId, "the trial is no longer held by this worker");
  }

  private afterFinish(result: ReportResult): Ack {
    if (result.ok) void this.requestTick(result.trial.sweepId);
    return toAck(result);
  }

  private async housekeeping(): Promise<void> {
    // The timer does not wait for a slow pass (a busy database); passes piling up would only repeat each other.
    if (this.housekeepingRunning) return;
    this.housekeepingRunning = true;
    try {
      for (const trial of await this.lifecycle.expireLeases()) this.queue.mark(trial.sweepId);
      await this.requestScan();
    } catch (error) {
      this.deps.log?.(`scheduler housekeeping failed: ${(error as Error).message}`);
    } finally {
      this.housekeepingRunning = false;
    }
  }

  private async tick(): Promise<void> {
    this.stats.ticks += 1;
    this.trialCache.evictIdle(CACHE_IDLE_MS);
    this.studies.evictIdle(CACHE_IDLE_MS);
    // Workers already waiting are served before planning, so a claim never waits for it.
    await this.dispatch();
    if (this.scanPending) {
      this.scanPending = false;
      try {
        const active = await activeSweepCounts(this.deps.db);
        this.stats.scans += 1;
        await (this.deps.planningLocks ?? SOLE_PLANNER).retainOnly(new Set(active.map((a) => a.sweep.id)));
        this.queue.noteScan(active);
      } catch (error) {
        this.scanPending = true;
        throw error;
      }
    }
    await this.planBatch();
    await this.dispatch();
    // The rest of the queue goes to the next tick, after whatever else the event loop has to do.
    if (this.queue.size > 0) setImmediate(() => this.stopped || void this.requestTick());
  }

  /** Plans queued sweeps, oldest mark first, until the batch's sweep count or time is used up; a few at once (they
   *  are independent, and one plan is mostly waiting for the database). A sweep whose plan fails is logged and left
   *  to the next scan, so one broken sweep neither stops the others nor spins. */
  private async planBatch(): Promise<void> {
    const { sweeps: most, ms } = this.deps.planningBatch ?? { sweeps: 32, ms: 50 };
    const ids = this.queue.take(most);
    if (ids.length === 0) return;
    const deadline = performance.now() + ms;
    const active = new Map((await activeSweepsAmong(this.deps.db, ids)).map((sweep) => [sweep.id, sweep]));
    const late: string[] = [];
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < ids.length; i = next++) {
        if (i > 0 && performance.now() > deadline) late.push(ids[i]);
        else await this.planOne(ids[i], active.get(ids[i]));
      }
    };
    await Promise.all(Array.from({ length: PLANNING_LANES }, lane));
    this.queue.putBack(late);
  }

  private async planOne(id: string, sweep: SweepRow | undefined): Promise<void> {
    try {
      // Sweeps another instance holds are planned there; this one still serves its own workers from them.
      if (!sweep) this.queue.recordPlanned(id, null);
      else if (!(await (this.deps.planningLocks ?? SOLE_PLANNER).mayPlan(id))) this.queue.recordElsewhere(id);
      else {
        const after = await this.plan(sweep);
        this.queue.recordPlanned(id, after && planningFingerprint({ ...sweep, status: "running" }, after));
      }
    } catch (error) {
      this.deps.log?.(`planning sweep ${id} failed: ${(error as Error).stack ?? error}`);
    }
  }

  /** Tops the sweep up to its concurrency with new waiting trials proposed by its sampler (rebuilt from the
   *  stored trials, so a restarted server proposes what an uninterrupted one would), or finishes the sweep when
   *  the budget or the search space is spent. Returns the trial counts it left the sweep with; null once the sweep
   *  ended or left "running" meanwhile. Every write is conditional on the status this pass read (sweep-status.ts,
   *  and the inserts' share lock on the sweep row), so a pause or stop landing mid-pass is never overwritten. */
  private async plan(sweep: SweepRow): Promise<StateCounts | null> {
    this.stats.plans += 1;
    const { budget } = sweep.document;
    await this.deps.planningHooks?.afterRead?.(sweep);
    if (sweep.status === "queued") {
      if (!(await this.deps.sweeps.transition(sweep.id, ["queued"], "running"))) return null;
      await this.deps.publisher.sweepChanged(sweep.id);
    }
    const tally = await tallyTrials(this.deps.db, sweep.id);
    const counts = Object.fromEntries(Object.entries(tally).map(([state, t]) => [state, t.count])) as StateCounts;
    let created = Object.values(counts).reduce((a, b) => a + b, 0);
    let active = counts.waiting + counts.running;
    let exhausted = false;
    const verdict = await this.budgetOf(sweep);
    if (!verdict.spent && active < budget.concurrency && created < budget.max_trials) {
      const frozen = await this.trialCache.frozenTrials(sweep.id, sweep.document.metric.name, tally);
      // Counted again on the trials the study numbers from: with another scheduler inserting, the tally may be older
      // than this copy, and a count from it would propose trials past max_trials under numbers nobody holds yet.
      created = frozen.length;
      active = frozen.filter((t) => t.state === "waiting" || t.state === "running").length;
      const wanted = Math.min(budget.concurrency - active, budget.max_trials - created);
      const proposed = proposeUpTo(this.studies.study(sweep.id, sweep.document, frozen), wanted);
      const rows = await this.deps.trials.insertAllWaiting(sweep.id, proposed.trials, ["running"]);
      // Fewer than proposed, without a conflict: the sweep is no longer running (paused or stopped meanwhile).
      if (rows && rows.length < proposed.trials.length) return null;
      // None inserted: another scheduler on this database took some of the numbers, so this study misses its trials
      // and its proposals could repeat their configurations. The next tick plans it again from a refreshed copy.
      if (!rows) {
        this.trialCache.invalidate(sweep.id);
        this.queue.mark(sweep.id);
      }
      if (rows?.length) this.deps.planningLocks?.wakeups?.notify();
      exhausted = rows !== null && proposed.exhausted;
      for (const row of rows ?? []) {
        this.trialCache.apply(row);
        await this.deps.publisher.trialChanged(row.id, row);
      }
      created += rows?.length ?? 0;
      active += rows?.length ?? 0;
      counts.waiting += rows?.length ?? 0;
    }
    if ((created >= budget.max_trials || exhausted || verdict.spent) && active === 0) {
      const failure = verdict.spent && verdict.fail ? verdict.reason : counts.complete + counts.pruned === 0 ? `all ${created} trials failed` : null;
      if (!(await this.deps.sweeps.transition(sweep.id, ["running"], failure ? "failed" : "finished", failure))) return null;
      this.trialCache.forget(sweep.id);
      this.studies.forget(sweep.id);
      await this.deps.publisher.sweepChanged(sweep.id);
      this.deps.log?.(`sweep ${sweep.name} ${failure ? `failed: ${failure}` : "finished"}${verdict.spent && !verdict.fail ? ` (${verdict.reason})` : ""}`);
      return null;
    }
    return counts;
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

  /** Serves every worker waiting for work in one claim; the dashboard hears of the assignments after all are sent. */
  private async dispatch(): Promise<void> {
    await this.lifecycle.claim(this.deps.workers.waitingForWork(), async (trial) => this.jobFor(trial, await this.documentOf(trial.sweepId)));
  }

  private jobFor(trial: TrialRow, document: SweepDocument): TrainJob {
    return {
      trialId: trial.id,
      sweepSeed: document.seed,
      trialSeed: mixSeed(document.seed, trial.number, 0x7e1a1),
      dataset: datasetRefOf(document.dataset),
      template: document.model.template,
      params: trial.params,
      attempt: trial.attempt,
      ...(document.early_stopping ? { earlyStopping: earlyStoppingFor(document.early_stopping) } : {}),
      ...(document.checkpoint ? { checkpoint: { ...document.checkpoint } } : {}),
    };
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

function toAck(result: ReportResult): Ack {
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}
