// Median and percentile pruning with Optuna's semantics: after `nStartupTrials` complete trials and `nWarmupSteps`
// steps, a trial whose best value so far is worse than the given percentile of the complete trials' values at the
// same step is pruned. Checked only at the first report of each `intervalSteps` window after warm-up.
// Two opt-in refinements for noisy, crossing learning curves: `smoothingWindow` compares recent means instead of
// single reports, `forecastHorizon` compares the trial's forecast at a later step with the peers' values there.
import type { FrozenTrial, PruneDecision, Pruner, StudyView } from "../types";
import {
  bestReported,
  Explainer,
  formatValue,
  isFirstReportInInterval,
  lastTwoSteps,
  percentileOfSorted,
  plural,
  PrunerOptionError,
  type ReasonOptions,
  requireFinite,
  requireInteger,
  windowMean,
} from "./common";
import { forecastAt } from "./forecast";

export interface PercentilePrunerOptions extends ReasonOptions {
  /** Keep the top `percentile` % (0–100): 25 keeps the best quarter, 50 is the median rule. */
  percentile: number;
  /** No pruning until this many trials are complete (default 5). */
  nStartupTrials?: number;
  /** No pruning before this step (default 0). */
  nWarmupSteps?: number;
  /** Check only once per this many steps after warm-up (default 1). */
  intervalSteps?: number;
  /** At least this many complete trials must have reported the compared step (default 1). */
  nMinTrials?: number;
  /** Compare the mean of the last `smoothingWindow` reports, the trial's and each peer's, instead of Optuna's
   *  "trial's best so far vs peers' value at the step". For noisy metrics. Unset: Optuna's rule. */
  smoothingWindow?: number;
  /** Compare the trial's learning-curve forecast at this step (e.g. the last epoch) with the complete trials'
   *  values there (smoothed by `smoothingWindow`) instead of values at the current step. Needs 3 reports. */
  forecastHorizon?: number;
}

export type MedianPrunerOptions = Omit<PercentilePrunerOptions, "percentile">;

/** What is compared: the trial's score, the step whose peer values it is compared with, and how it is described. */
interface Comparison {
  score: number;
  peerStep: number;
  peerValue: (peer: FrozenTrial) => number | undefined;
  describe: string;
}

export class PercentilePruner implements Pruner {
  readonly name: string;
  private readonly percentile: number;
  private readonly nStartupTrials: number;
  private readonly nWarmupSteps: number;
  private readonly intervalSteps: number;
  private readonly nMinTrials: number;
  private readonly smoothingWindow: number | null;
  private readonly forecastHorizon: number | null;
  private readonly explain: Explainer;

  constructor(options: PercentilePrunerOptions, name = "percentile") {
    this.name = name;
    const p = requireFinite("percentile", options.percentile);
    if (p < 0 || p > 100) throw new PrunerOptionError("percentile", `must be within [0, 100], got ${p}`);
    this.percentile = p;
    this.nStartupTrials = requireInteger("nStartupTrials", options.nStartupTrials ?? 5, 0);
    this.nWarmupSteps = requireInteger("nWarmupSteps", options.nWarmupSteps ?? 0, 0);
    this.intervalSteps = requireInteger("intervalSteps", options.intervalSteps ?? 1, 1);
    this.nMinTrials = requireInteger("nMinTrials", options.nMinTrials ?? 1, 1);
    const optional = (field: string, v: number | undefined) => (v === undefined ? null : requireInteger(field, v, 1));
    this.smoothingWindow = optional("smoothingWindow", options.smoothingWindow);
    this.forecastHorizon = optional("forecastHorizon", options.forecastHorizon);
    this.explain = new Explainer(options);
  }

  shouldPrune(study: StudyView, trial: FrozenTrial): PruneDecision {
    const { explain } = this;
    const steps = lastTwoSteps(trial);
    if (!steps) return explain.keep("kept: nothing reported yet");
    const step = steps.last;
    const complete = study.trials(["complete"]);
    if (complete.length === 0 || complete.length < this.nStartupTrials) {
      return explain.keep(`kept: startup, ${complete.length} of ${this.nStartupTrials} trials complete`);
    }
    if (step < this.nWarmupSteps) return explain.keep(`kept: warm-up until ${explain.at(this.nWarmupSteps)}`);
    if (!isFirstReportInInterval(step, steps.previous, this.nWarmupSteps, this.intervalSteps)) {
      return explain.keep(`kept: checked every ${plural(this.intervalSteps, explain.stepName)}`);
    }
    const cmp = this.comparison(study, trial, step);
    if (Number.isNaN(cmp.score)) {
      if (this.forecastHorizon !== null && step < this.forecastHorizon && hasFiniteReport(trial)) {
        return explain.keep(`kept: a forecast needs 3 finite reports`);
      }
      return explain.prune(step, `${cmp.describe} is NaN`);
    }

    const peers: number[] = [];
    let reportedAtStep = 0;
    for (const t of complete) {
      const v = cmp.peerValue(t);
      if (v === undefined) continue;
      reportedAtStep++;
      if (!Number.isNaN(v)) peers.push(v);
    }
    if (reportedAtStep < this.nMinTrials || peers.length === 0) {
      return explain.keep(`kept: ${plural(peers.length, "complete trial")} reported ${explain.at(cmp.peerStep)}, need ${this.nMinTrials}`);
    }
    peers.sort((a, b) => a - b);
    // The cutoff sits `percentile` % from the good end, whichever end that is for the direction.
    const q = study.direction === "maximize" ? 100 - this.percentile : this.percentile;
    const cutoff = percentileOfSorted(peers, q);
    const cutoffName = this.percentile === 50 ? "median" : `${formatValue(this.percentile)}th-percentile cutoff`;
    const among = `the ${cutoffName} ${formatValue(cutoff)} of ${plural(peers.length, "complete trial")} at ${explain.at(cmp.peerStep)}`;
    const shown = `${cmp.describe} ${formatValue(cmp.score)}`;
    const worse = study.direction === "maximize" ? cmp.score < cutoff : cmp.score > cutoff;
    if (worse) return explain.prune(step, `${shown} ${study.direction === "maximize" ? "below" : "above"} ${among}`);
    return explain.keep(`kept at ${explain.at(step)}: ${shown} ${study.direction === "maximize" ? "at or above" : "at or below"} ${among}`);
  }

  private comparison(study: StudyView, trial: FrozenTrial, step: number): Comparison {
    const { explain } = this;
    const window = this.smoothingWindow;
    const valueAt = (t: FrozenTrial, s: number) => (t.intermediate[s] === undefined ? undefined : windowMean(t, s, window ?? 1));
    const recent = window === null || window === 1 ? explain.metric : `${explain.metric} (mean of the last ${plural(window, explain.stepName)})`;
    const horizon = this.forecastHorizon;
    if (horizon !== null && step < horizon) {
      // NaN with fewer than three finite reports: the caller keeps the trial rather than judge a curve unseen.
      const forecast = forecastAt(trial, step, horizon, study.direction);
      return { score: forecast, peerStep: horizon, peerValue: (t) => valueAt(t, horizon), describe: `${explain.metric} forecast for ${explain.at(horizon)}` };
    }
    if (window !== null || horizon !== null) {
      return { score: windowMean(trial, step, window ?? 1), peerStep: step, peerValue: (t) => valueAt(t, step), describe: recent };
    }
    const best = bestReported(trial, study.direction);
    const describe = best === trial.intermediate[step] ? explain.metric : `${explain.metric} (best so far)`;
    return { score: best, peerStep: step, peerValue: (t) => t.intermediate[step], describe };
  }
}

function hasFiniteReport(trial: FrozenTrial): boolean {
  for (const key in trial.intermediate) if (Number.isFinite(trial.intermediate[Number(key)])) return true;
  return false;
}

export function createMedianPruner(options: MedianPrunerOptions = {}): PercentilePruner {
  return new PercentilePruner({ ...options, percentile: 50 }, "median");
}
