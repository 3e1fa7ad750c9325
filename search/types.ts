// The small interfaces everything in search/ is built on, in Optuna's spirit: a Sampler proposes parameters from
// a read-only view of the study; a Pruner answers "prune this trial now?" from the trial's reported values and
// its peers'. Nothing here does I/O; everything is deterministic under the study's seed.
import type { ParameterSpec, ParamValue, Params } from "./parameters";
import type { TrialStateName } from "./trial-state";

export type Direction = "minimize" | "maximize";

/** A parameter of a search space, active only when all of its conditions hold on parameters before it. */
export interface SpaceParameter {
  spec: ParameterSpec;
  when?: Condition[];
}

/** `in`: the other parameter takes one of these values; `atLeast`: it is a number >= this (per-layer counts). */
export type Condition = { param: string; in: ParamValue[] } | { param: string; atLeast: number };

/** Ordered: a parameter's conditions refer only to parameters listed before it. */
export type SearchSpace = Record<string, SpaceParameter>;

/** One trial as samplers and pruners see it. Finished trials never change. */
export interface FrozenTrial {
  number: number;
  state: TrialStateName;
  /** The active parameters only. */
  params: Params;
  /** Final objective value; null unless complete. */
  value: number | null;
  /** Reported intermediate values by step (epoch). */
  intermediate: Readonly<Record<number, number>>;
  /** Bookkeeping that must survive restarts (e.g. a Hyperband bracket), persisted with the trial record. */
  systemAttrs: Readonly<Record<string, unknown>>;
  /** Set while a study re-asks a sampler because its proposal duplicated a running or finished configuration
   *  (1, 2, …): samplers mix it into their random stream (see samplers/trial-stream.ts) to propose something else. */
  sampleAttempt?: number;
}

export interface StudyView {
  readonly direction: Direction;
  readonly seed: number;
  /** All trials so far, ordered by number; filter by state when given. Running trials are included. */
  trials(states?: readonly TrialStateName[]): readonly FrozenTrial[];
}

export interface Sampler {
  readonly name: string;
  /** Parameters proposed jointly (multivariate TPE, GP…) for the given part of the space; {} to sample one by one.
   *  The study drops any that turn out inactive and asks `sampleIndependent` for the active ones still missing. */
  sampleRelative(study: StudyView, trial: FrozenTrial, space: SearchSpace): Params;
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, spec: ParameterSpec): ParamValue;
}

export interface PruneDecision {
  prune: boolean;
  /** Human-readable, for the dashboard: "pruned at epoch 3: val_accuracy 0.71 below the rung-1 cutoff 0.78 among 9 trials". */
  reason: string;
}

export interface Pruner {
  readonly name: string;
  /** Decides from `trial.intermediate` (its latest step) and its peers'. Pure: the same inputs give the same answer
   *  in any process, so any server instance decides alike. */
  shouldPrune(study: StudyView, trial: FrozenTrial): PruneDecision;
  /** Attributes to store on a new trial (e.g. its Hyperband bracket), decided deterministically. */
  initialAttrs?(study: StudyView, trialNumber: number): Record<string, unknown>;
}
