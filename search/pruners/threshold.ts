// Prunes a trial whose latest value leaves [lower, upper] (or is NaN) after warm-up: a guard against diverging
// runs that needs no peers. Not direction-aware, as in Optuna: the bounds say what is acceptable.
import type { FrozenTrial, PruneDecision, Pruner, StudyView } from "../types";
import {
  Explainer,
  formatValue,
  isFirstReportInInterval,
  lastTwoSteps,
  plural,
  PrunerOptionError,
  type ReasonOptions,
  requireInteger,
} from "./common";

export interface ThresholdPrunerOptions extends ReasonOptions {
  lower?: number;
  upper?: number;
  /** No pruning before this step (default 0). */
  nWarmupSteps?: number;
  /** Check only once per this many steps after warm-up (default 1). */
  intervalSteps?: number;
}

export class ThresholdPruner implements Pruner {
  readonly name = "threshold";
  private readonly lower: number;
  private readonly upper: number;
  private readonly nWarmupSteps: number;
  private readonly intervalSteps: number;
  private readonly explain: Explainer;

  constructor(options: ThresholdPrunerOptions) {
    if (options.lower === undefined && options.upper === undefined) {
      throw new PrunerOptionError("lower", "give lower, upper or both");
    }
    this.lower = options.lower ?? -Infinity;
    this.upper = options.upper ?? Infinity;
    if (Number.isNaN(this.lower) || Number.isNaN(this.upper) || this.lower > this.upper) {
      throw new PrunerOptionError("lower", `must not exceed upper (${this.upper}), got ${this.lower}`);
    }
    this.nWarmupSteps = requireInteger("nWarmupSteps", options.nWarmupSteps ?? 0, 0);
    this.intervalSteps = requireInteger("intervalSteps", options.intervalSteps ?? 1, 1);
    this.explain = new Explainer(options);
  }

  shouldPrune(_study: StudyView, trial: FrozenTrial): PruneDecision {
    const { explain } = this;
    const steps = lastTwoSteps(trial);
    if (!steps) return explain.keep("kept: nothing reported yet");
    const step = steps.last;
    if (step < this.nWarmupSteps) return explain.keep(`kept: warm-up until ${explain.at(this.nWarmupSteps)}`);
    if (!isFirstReportInInterval(step, steps.previous, this.nWarmupSteps, this.intervalSteps)) {
      return explain.keep(`kept: checked every ${plural(this.intervalSteps, explain.stepName)}`);
    }
    const value = trial.intermediate[step];
    const shown = `${explain.metric} ${formatValue(value)}`;
    if (Number.isNaN(value)) return explain.prune(step, `${explain.metric} is NaN`);
    if (value < this.lower) return explain.prune(step, `${shown} below the lower threshold ${formatValue(this.lower)}`);
    if (value > this.upper) return explain.prune(step, `${shown} above the upper threshold ${formatValue(this.upper)}`);
    return explain.keep(`kept at ${explain.at(step)}: ${shown} within [${formatValue(this.lower)}, ${formatValue(this.upper)}]`);
  }
}
