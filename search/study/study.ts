// A study: the trials of one search, the sampler that proposes their parameters and the pruner that cuts them
// short. Pure and synchronous; the server rebuilds one from its database with `trials` and keeps using it.
import { SearchError } from "../errors";
import { createHp, type Hp } from "../hp";
import type { ParameterSpec, ParamValue } from "../parameters";
import { RandomSampler } from "../samplers/random-sampler";
import { configurationKey } from "../space/conditions";
import { specContains } from "../space/spec-values";
import { isFinished, TRIAL_STATE_NAMES, type TrialStateName } from "../trial-state";
import type { Direction, FrozenTrial, PruneDecision, Pruner, Sampler, SearchSpace, StudyView } from "../types";
import { optimize, optimizeAsync, type AsyncObjective, type Objective, type OptimizeAsyncOptions } from "./optimize";
import { checkedSample, proposeConfiguration } from "./propose";
import { Trial, type TrialHost } from "./trial";
import { TrialRecord } from "./trial-record";

export interface CreateStudyOptions {
  /** Declared space; leave it out to define parameters by run (`trial.hp`). */
  space?: SearchSpace;
  /** Default "minimize". */
  direction?: Direction;
  /** Default: random search. */
  sampler?: Sampler;
  /** Default: never prune. */
  pruner?: Pruner;
  /** Default 0. */
  seed?: number;
  /** Trials stored earlier (e.g. in the server's database): the study resumes after them. */
  trials?: readonly StoredTrial[];
  /** Sampler re-asks after a duplicate proposal before falling back (default 16). */
  maxSampleAttempts?: number;
}

/** A trial as stored outside the study; the optional parts default to empty. */
export type StoredTrial = Pick<FrozenTrial, "number" | "state" | "params"> & Partial<FrozenTrial>;

const TRIAL_STATES: readonly TrialStateName[] = TRIAL_STATE_NAMES;

export const NEVER_PRUNE: Pruner = {
  name: "none",
  shouldPrune: () => ({ prune: false, reason: "no pruner configured" }),
};

export class Study implements StudyView, TrialHost {
  readonly direction: Direction;
  readonly seed: number;
  readonly space: SearchSpace | undefined;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  private readonly records: TrialRecord[] = [];
  private readonly byNumber = new Map<number, TrialRecord>();
  /** Configuration keys of all trials whose parameters are settled, for the no-duplicates rule. */
  private readonly usedKeys = new Set<string>();
  private readonly maxSampleAttempts: number;
  private cachedTrials: readonly FrozenTrial[] | null = null;

  constructor(options: CreateStudyOptions = {}) {
    this.direction = options.direction ?? "minimize";
    this.seed = options.seed ?? 0;
    this.space = options.space;
    this.sampler = options.sampler ?? new RandomSampler();
    this.pruner = options.pruner ?? NEVER_PRUNE;
    this.maxSampleAttempts = options.maxSampleAttempts ?? 16;
    for (const stored of [...(options.trials ?? [])].sort((a, b) => a.number - b.number)) this.restore(stored);
  }

  static fromTrials(trials: readonly StoredTrial[], options: Omit<CreateStudyOptions, "trials"> = {}): Study {
    return new Study({ ...options, trials });
  }

  // ---- StudyView -------------------------------------------------------------------------------------------

  trials(states?: readonly TrialStateName[]): readonly FrozenTrial[] {
    this.cachedTrials ??= Object.freeze(this.records.map((r) => r.frozen()));
    return states ? this.cachedTrials.filter((t) => states.includes(t.state)) : this.cachedTrials;
  }

  // ---- ask / tell ------------------------------------------------------------------------------------------

  /** Starts a new running trial with its parameters sampled (for a declared space). */
  ask(): Trial {
    const number = this.records.length ? this.records[this.records.length - 1].number + 1 : 0;
    const attrs = this.pruner.initialAttrs?.(this, number) ?? {};
    const record = new TrialRecord(number, "waiting", {}, null, {}, { ...attrs });
    this.add(record);
    try {
      record.moveTo("running");
      if (this.space) {
        const { params, attempt } = proposeConfiguration({
          study: this,
          sampler: this.sampler,
          space: this.space,
          trial: record.frozen(),
          used: this.usedKeys,
          maxAttempts: this.maxSampleAttempts,
        });
        record.setParams(params, attempt);
        this.usedKeys.add(configurationKey(params));
      }
    } catch (error) {
      this.remove(record); // nothing was handed out: the number is free again
      throw error;
    }
    this.changed();
    return new Trial(number, this);
  }

  /** Finishes a trial: a number completes it (NaN and ±Infinity count as failed, as in Optuna). */
  tell(trial: Trial | number, result: number | "pruned" | "failed"): FrozenTrial {
    const record = this.record(typeof trial === "number" ? trial : trial.number);
    if (typeof result === "number" && Number.isFinite(result)) record.moveTo("complete", result);
    else if (result === "pruned") record.moveTo("pruned");
    else if (result === "failed" || typeof result === "number") record.moveTo("failed");
    else throw new SearchError("invalid_value", `tell takes a number, "pruned" or "failed", got ${JSON.stringify(result)}`);
    if (!this.space) this.usedKeys.add(configurationKey(record.frozen().params)); // define-by-run params settle here
    this.changed();
    return record.frozen();
  }

  /** The handle of an existing trial (e.g. to report epochs of a trial restored from storage). */
  trial(number: number): Trial {
    this.record(number);
    return new Trial(number, this);
  }

  /** The best complete trial (earliest on ties), or null before any completes. */
  get bestTrial(): FrozenTrial | null {
    let best: FrozenTrial | null = null;
    const better = this.direction === "minimize" ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
    for (const trial of this.trials(["complete"])) if (best === null || better(trial.value!, best.value!)) best = trial;
    return best;
  }

  get bestValue(): number | null {
    return this.bestTrial?.value ?? null;
  }

  /** Runs `objective` on `nTrials` new trials, one after another; see optimize.ts for how outcomes are told. */
  optimize(objective: Objective, nTrials: number): FrozenTrial | null {
    return optimize(this, objective, nTrials);
  }

  /** Like `optimize` for async objectives, with up to `concurrency` trials running at once (parallel asks). */
  optimizeAsync(objective: AsyncObjective, options: OptimizeAsyncOptions): Promise<FrozenTrial | null> {
    return optimizeAsync(this, objective, options);
  }

  // ---- TrialHost (used by Trial handles) -------------------------------------------------------------------

  frozenTrial(number: number): FrozenTrial {
    return this.record(number).frozen();
  }

  report(number: number, step: number, value: number): void {
    this.record(number).report(step, value);
    this.changed();
  }

  shouldPrune(number: number): PruneDecision {
    const record = this.record(number);
    record.assertOpen("ask the pruner about it");
    return this.pruner.shouldPrune(this, record.frozen());
  }

  hpFor(number: number): Hp {
    return createHp((name, spec) => this.suggest(number, name, spec));
  }

  /** A define-by-run parameter: the trial's value if it has one (and it fits), else one sampled independently. */
  private suggest(number: number, name: string, spec: ParameterSpec): ParamValue {
    const record = this.record(number);
    if (record.hasParam(name)) {
      const value = record.param(name);
      if (!specContains(spec, value)) {
        const message = `already has the value ${JSON.stringify(value)} in trial ${number}, which the new definition does not allow`;
        throw new SearchError("invalid_space", `${name}: ${message}`, [{ path: [name], message }]);
      }
      return value;
    }
    record.assertOpen(`define parameter ${name}`);
    const value =
      spec.kind === "constant"
        ? spec.value
        : checkedSample(this.sampler, name, spec, this.sampler.sampleIndependent(this, record.frozen(), name, spec));
    record.setParam(name, value);
    this.changed();
    return value;
  }

  // ---- internals -------------------------------------------------------------------------------------------

  private record(number: number): TrialRecord {
    const record = this.byNumber.get(number);
    if (!record) throw new SearchError("unknown_trial", `the study has no trial ${number}`);
    return record;
  }

  private add(record: TrialRecord): void {
    this.records.push(record);
    this.byNumber.set(record.number, record);
    this.changed();
  }

  private remove(record: TrialRecord): void {
    this.records.splice(this.records.indexOf(record), 1);
    this.byNumber.delete(record.number);
    this.changed();
  }

  private restore(stored: StoredTrial): void {
    const invalid = (message: string) => new SearchError("invalid_trials", `stored trial ${stored.number}: ${message}`);
    if (!TRIAL_STATES.includes(stored.state)) throw invalid(`unknown state ${JSON.stringify(stored.state)}`);
    if (this.byNumber.has(stored.number)) throw invalid("appears twice");
    if (!Number.isInteger(stored.number) || stored.number < 0) throw invalid("the number must be a non-negative integer");
    const value = stored.value ?? null;
    if (stored.state === "complete" && (value === null || !Number.isFinite(value))) {
      throw invalid("complete but without a finite value");
    }
    const record = TrialRecord.fromFrozen({
      intermediate: {},
      systemAttrs: {},
      ...stored,
      value: stored.state === "complete" ? value : null,
    });
    this.add(record);
    if (this.space || isFinished(stored.state)) this.usedKeys.add(configurationKey(stored.params));
  }

  private changed(): void {
    this.cachedTrials = null;
  }
}

export function createStudy(options: CreateStudyOptions = {}): Study {
  return new Study(options);
}
