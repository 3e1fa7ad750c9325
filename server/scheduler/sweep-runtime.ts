// One sweep as the scheduler works it: its document, the parts of its study that depend only on its configuration
// (parsed search space, sampler, pruner) and its cached trials. Built once per configuration key and shared by the
// planner (proposals), the dispatcher (jobs) and the report handler (pruning), rather than each loading the
// document or building a sampler of its own. What samplers memoise per space (the grid sampler's enumerated grid,
// up to 100,000 configurations; quasi-random sequences) is a pure function of the configuration, so reuse never
// changes a proposal. The study itself is assembled from the stored trials (TrialCache) at each use: that is what
// keeps proposals the same in a restarted process.
import { mixSeed } from "../../search/rng";
import { Study } from "../../search/study/study";
import type { FrozenTrial, Pruner, Sampler, SearchSpace } from "../../search/types";
import { withDefaults } from "../training/cnn-parameters";
import type { TrainJob } from "../training/types";
import { datasetRefOf } from "../sweeps/dataset-document";
import { earlyStoppingFor, prunerFor, samplerFor } from "../sweeps/search-config";
import { searchSpaceOf, type SweepDocument } from "../sweeps/sweep-document";
import type { SweepRow, SweepStore } from "../sweeps/sweep-store";
import { studyViewOf, type TrialTally } from "./study-view";
import type { TrialCache } from "./trial-cache";
import type { TrialRow } from "./trial-store";

/** What the study's configuration is made of (the budget may change live and is not part of it). */
export function studyConfigurationKey(document: SweepDocument): string {
  return JSON.stringify([document.method, document.parameters, document.seed, document.metric, document.pruner ?? null]);
}

export class SweepRuntime {
  readonly key: string;
  readonly space: SearchSpace;
  readonly sampler: Sampler;
  readonly pruner: Pruner | undefined;
  usedAt = Date.now();

  constructor(
    readonly sweepId: string,
    /** As last read: the planner refreshes it with every pass, so a live budget edit is seen (see SweepRuntimes.forRow). */
    public document: SweepDocument,
    private readonly cache: TrialCache,
  ) {
    this.key = studyConfigurationKey(document);
    this.space = searchSpaceOf(document);
    this.sampler = samplerFor(document.method);
    this.pruner = prunerFor(document.pruner, document.metric.name);
  }

  /** The sweep's trials as stored now (by number). Pass the tally when the caller has just taken it. */
  trials(tally?: TrialTally): Promise<FrozenTrial[]> {
    return this.cache.frozenTrials(this.sweepId, this.document.metric.name, tally);
  }

  /** The cached trials missed a write (another scheduler took proposal numbers): the next use refreshes them. */
  invalidateTrials(): void {
    this.cache.invalidate(this.sweepId);
  }

  /** The study over `frozen` (every stored trial, by number), ready to propose. */
  study(frozen: readonly FrozenTrial[]): Study {
    const { space, sampler, pruner, document } = this;
    return Study.fromTrials(frozen, { space, direction: document.metric.goal, sampler, pruner, seed: document.seed });
  }

  /** The pruner's verdict on `trial` after storing `epoch`; null when nothing is to be pruned. Pruning after the
   *  last epoch would only throw away a finished model: the trial completes instead. The decision uses only stored
   *  data, so any server instance would decide the same. */
  async pruneReason(trial: TrialRow, epoch: number): Promise<string | null> {
    if (!this.pruner || epoch >= Number(withDefaults(trial.params).epochs)) return null;
    const frozen = await this.trials();
    const self = frozen.find((t) => t.number === trial.number);
    const decision = self ? this.pruner.shouldPrune(studyViewOf(this.document, frozen), self) : null;
    return decision?.prune ? decision.reason : null;
  }

  /** What the worker is sent to train `trial`. */
  jobFor(trial: TrialRow): TrainJob {
    const { document } = this;
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
}

/** The runtimes of the sweeps this scheduler works on, with the trial cache they read. */
export class SweepRuntimes {
  private readonly runtimes = new Map<string, SweepRuntime>();
  private readonly loading = new Map<string, Promise<SweepRuntime>>();
  /** Runtimes built so far (tests and benchmarks watch it). */
  builds = 0;

  constructor(
    private readonly sweeps: Pick<SweepStore, "get">,
    readonly cache: TrialCache,
  ) {}

  /** The runtime of a sweep row just read (the planner's): rebuilt only when its configuration differs. */
  forRow(sweep: Pick<SweepRow, "id" | "document">): SweepRuntime {
    let runtime = this.runtimes.get(sweep.id);
    if (!runtime || runtime.key !== studyConfigurationKey(sweep.document)) runtime = this.build(sweep.id, sweep.document);
    else runtime.document = sweep.document;
    runtime.usedAt = Date.now();
    return runtime;
  }

  /** The sweep's runtime, its document read once (reports and claims name only the sweep id). */
  async of(sweepId: string): Promise<SweepRuntime> {
    const runtime = this.runtimes.get(sweepId);
    if (runtime) {
      runtime.usedAt = Date.now();
      return runtime;
    }
    let pending = this.loading.get(sweepId);
    if (!pending) {
      pending = this.sweeps
        .get(sweepId)
        .then((sweep) => {
          if (!sweep) throw new Error(`unknown sweep ${sweepId}`);
          return this.runtimes.get(sweepId) ?? this.build(sweepId, sweep.document);
        })
        .finally(() => this.loading.delete(sweepId));
      this.loading.set(sweepId, pending);
    }
    return pending;
  }

  /** The sweep ended: its runtime and cached trials go (a late report rebuilds the runtime if it needs one). */
  forget(sweepId: string): void {
    this.runtimes.delete(sweepId);
    this.cache.forget(sweepId);
  }

  /** Drops what nobody used for a while (finished, stopped, paused for long): it is rebuilt if needed. */
  evictIdle(maxIdleMs: number, now = Date.now()): void {
    for (const [id, runtime] of this.runtimes) if (now - runtime.usedAt > maxIdleMs) this.runtimes.delete(id);
    this.cache.evictIdle(maxIdleMs, now);
  }

  private build(sweepId: string, document: SweepDocument): SweepRuntime {
    this.builds += 1;
    const runtime = new SweepRuntime(sweepId, document, this.cache);
    this.runtimes.set(sweepId, runtime);
    return runtime;
  }
}
