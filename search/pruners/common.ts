// Shared pieces of the pruners: reading a trial's reports, direction-aware comparisons, option checks and the
// wording of decisions, so every pruner explains itself the same way on the dashboard.
import type { Direction, FrozenTrial, PruneDecision } from "../types";

/** Options every pruner accepts for the wording of its reasons. */
export interface ReasonOptions {
  /** Name of the reported metric, e.g. "val_accuracy" (default "value"). */
  metric?: string;
  /** Name of a step, e.g. "epoch" (default "step"). */
  stepName?: string;
}

/** Thrown for an invalid pruner or early-stopping option; `field` names the offending option. */
export class PrunerOptionError extends RangeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "PrunerOptionError";
  }
}

export function requireInteger(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new PrunerOptionError(field, `must be an integer >= ${min}, got ${value}`);
  return value;
}

export function requireFinite(field: string, value: number): number {
  if (!Number.isFinite(value)) throw new PrunerOptionError(field, `must be a finite number, got ${value}`);
  return value;
}

/** Reported steps in increasing order. Object keys come back as strings, so convert once here. */
export function reportedSteps(trial: FrozenTrial): number[] {
  return Object.keys(trial.intermediate)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The latest reported step and the one before it (-Infinity when there is none). */
export function lastTwoSteps(trial: FrozenTrial): { last: number; previous: number } | null {
  let last = -Infinity;
  let previous = -Infinity;
  for (const key in trial.intermediate) {
    const step = Number(key);
    if (step > last) {
      previous = last;
      last = step;
    } else if (step > previous) previous = step;
  }
  return last === -Infinity ? null : { last, previous };
}

/** `a` is strictly better than `b` under the direction. */
export function isBetter(direction: Direction, a: number, b: number): boolean {
  return direction === "maximize" ? a > b : a < b;
}

/** The best non-NaN value reported so far (NaN when every report is NaN), as Optuna's median pruner uses. */
export function bestReported(trial: FrozenTrial, direction: Direction): number {
  let best = NaN;
  for (const key in trial.intermediate) {
    const v = trial.intermediate[Number(key)];
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || isBetter(direction, v, best)) best = v;
  }
  return best;
}

/** Linear-interpolation percentile (numpy's default) of values sorted ascending; q in [0, 100]. */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Short, stable number formatting for reasons: 4 significant digits, no exponent for ordinary magnitudes. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4)) return v.toPrecision(4);
  return String(Number(v.toPrecision(4)));
}

/** Builds decisions with consistent wording: "pruned at epoch 3: val_accuracy 0.71 below …". */
export class Explainer {
  readonly metric: string;
  readonly stepName: string;
  constructor(options: ReasonOptions = {}) {
    this.metric = options.metric ?? "value";
    this.stepName = options.stepName ?? "step";
  }
  at(step: number): string {
    return `${this.stepName} ${step}`;
  }
  keep(reason: string): PruneDecision {
    return { prune: false, reason };
  }
  prune(step: number, detail: string): PruneDecision {
    return { prune: true, reason: `pruned at ${this.at(step)}: ${detail}` };
  }
  /** "val_accuracy 0.71 below" / "loss 0.9 above": the side a pruned value falls on, for the direction. */
  worseSide(direction: Direction, value: number): string {
    return `${this.metric} ${formatValue(value)} ${worseWord(direction)}`;
  }
  betterSide(direction: Direction, value: number): string {
    return `${this.metric} ${formatValue(value)} ${betterWord(direction)}`;
  }
}

export function worseWord(direction: Direction): string {
  return direction === "maximize" ? "below" : "above";
}

export function betterWord(direction: Direction): string {
  return direction === "maximize" ? "at or above" : "at or below";
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Optuna's interval rule: a pruner acts only at the first report at or after each interval boundary past warm-up. */
export function isFirstReportInInterval(step: number, previousStep: number, warmupSteps: number, intervalSteps: number): boolean {
  const boundary = Math.floor((step - warmupSteps) / intervalSteps) * intervalSteps + warmupSteps;
  return previousStep < boundary;
}

/** Mean of the non-NaN reports at steps in (step - window, step]; NaN when there are none. A window of 1 is the
 *  report at `step` itself. Averaging recent reports keeps one noisy epoch from deciding a trial's fate. */
export function windowMean(trial: FrozenTrial, step: number, window: number): number {
  if (window === 1) {
    const v = trial.intermediate[step];
    return v === undefined ? NaN : v;
  }
  let sum = 0;
  let n = 0;
  for (let s = step - window + 1; s <= step; s++) {
    const v = trial.intermediate[s];
    if (v === undefined || Number.isNaN(v)) continue;
    sum += v;
    n++;
  }
  return n === 0 ? NaN : sum / n;
}
