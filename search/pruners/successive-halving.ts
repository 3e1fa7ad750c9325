// Asynchronous successive halving (ASHA, Li et al. 2020) in Optuna's form. Rung k sits at step
// minResource * reductionFactor^(minEarlyStoppingRate + k). When a trial's report reaches a rung, it is promoted
// (kept) only if its value is among the top 1/reductionFactor of every trial that has reached that rung so far,
// whatever their state; otherwise it is pruned. Nobody waits for a rung to fill: that is the "asynchronous" part.
// A trial's rung value is read from its own reports (the first report at or after the rung step), so no state
// needs to be written and any process recomputes the same rung values.
import type { Direction, FrozenTrial, PruneDecision, Pruner, StudyView } from "../types";
import { forecastAt } from "./forecast";
import {
  Explainer,
  formatValue,
  lastTwoSteps,
  plural,
  PrunerOptionError,
  type ReasonOptions,
  requireInteger,
  windowMean,
  worseWord,
  betterWord,
} from "./common";

export interface SuccessiveHalvingOptions extends ReasonOptions {
  /** Step of the first rung (default 1). */
  minResource?: number;
  /** Keep the top 1/reductionFactor at each rung; rungs are this factor apart (default 4). */
  reductionFactor?: number;
  /** Skips the first rungs: rung 0 sits at minResource * reductionFactor^rate (default 0). */
  minEarlyStoppingRate?: number;
  /** Steps at or beyond this are never rungs: a trial that has trained to the end is not thrown away (optional). */
  maxResource?: number;
  /** A rung value is the mean of the reports in the last `smoothingWindow` steps up to the rung (default 1: the
   *  report itself, as Optuna). For noisy metrics. */
  smoothingWindow?: number;
  /** Rank trials at a rung by their learning-curve forecast for this step (e.g. the last epoch), fitted to their
   *  reports up to the rung (see forecast.ts), instead of by today's value: curves of different configurations
   *  cross, so "who will end best" ranks better than "who is best now". Rungs before 3 reports use the value. */
  forecastHorizon?: number;
}

/** The fixed rung schedule; shared by Hyperband's brackets. */
export interface RungSchedule {
  minResource: number;
  reductionFactor: number;
  minEarlyStoppingRate: number;
  maxResource: number;
  smoothingWindow: number;
  forecastHorizon: number | null;
}

export function rungSchedule(options: SuccessiveHalvingOptions): RungSchedule {
  const schedule = {
    minResource: requireInteger("minResource", options.minResource ?? 1, 1),
    reductionFactor: requireInteger("reductionFactor", options.reductionFactor ?? 4, 2),
    minEarlyStoppingRate: requireInteger("minEarlyStoppingRate", options.minEarlyStoppingRate ?? 0, 0),
    maxResource: options.maxResource ?? Infinity,
    smoothingWindow: requireInteger("smoothingWindow", options.smoothingWindow ?? 1, 1),
    forecastHorizon: options.forecastHorizon === undefined ? null : requireInteger("forecastHorizon", options.forecastHorizon, 1),
  };
  if (!(schedule.maxResource > schedule.minResource)) {
    throw new PrunerOptionError("maxResource", `must exceed minResource (${schedule.minResource}), got ${schedule.maxResource}`);
  }
  return schedule;
}

export function rungStep(schedule: RungSchedule, rung: number): number {
  return schedule.minResource * schedule.reductionFactor ** (schedule.minEarlyStoppingRate + rung);
}

/** A trial's value at a rung: taken at its first report at or after the rung step, averaged over the window
 *  ending there (undefined if it has not got there). */
export function rungValue(trial: FrozenTrial, step: number, window = 1): number | undefined {
  let at = step;
  if (trial.intermediate[step] === undefined) {
    at = Infinity;
    for (const key in trial.intermediate) {
      const s = Number(key);
      if (s >= step && s < at) at = s;
    }
    if (at === Infinity) return undefined;
  }
  return windowMean(trial, at, window);
}

// Forecasts from reports up to a rung step never change once a later report exists: cached per trial object.
const forecastCache = new WeakMap<FrozenTrial, Map<string, number>>();

/** A trial's score at a rung: its forecast for `horizon` from the reports up to the rung (when it has 3 finite
 *  ones and the rung is before the horizon), else its rung value. Undefined if it has not reached the rung. */
export function rungScore(trial: FrozenTrial, step: number, window: number, horizon: number | null, direction: Direction): number | undefined {
  const value = rungValue(trial, step, window);
  if (value === undefined || horizon === null || step >= horizon) return value;
  let cache = forecastCache.get(trial);
  const key = `${step}|${horizon}|${direction}`;
  const cached = cache?.get(key);
  if (cached !== undefined) return cached;
  const f = forecastAt(trial, step, horizon, direction);
  const score = Number.isNaN(f) ? value : f;
  let complete = trial.state !== "running";
  for (const k in trial.intermediate) if (Number(k) > step) complete = true;
  if (complete) {
    if (!cache) forecastCache.set(trial, (cache = new Map()));
    cache.set(key, score);
  }
  return score;
}

/** ASHA's promotion rule: among n values at a rung (this trial's included), the best floor(n/eta) are promotable,
 *  and at least the single best while fewer than eta have arrived. NaN peers count as the worst. */
export function promotionCutoff(
  peerValues: readonly number[],
  value: number,
  reductionFactor: number,
  direction: Direction,
): { promote: boolean; cutoff: number; competitors: number } {
  const competitors = peerValues.length + 1;
  const nPromotable = Math.max(1, Math.floor(competitors / reductionFactor));
  const ranked = [...peerValues, value].filter((v) => !Number.isNaN(v));
  ranked.sort(direction === "maximize" ? (a, b) => b - a : (a, b) => a - b);
  if (ranked.length < nPromotable) return { promote: true, cutoff: ranked[ranked.length - 1], competitors };
  const cutoff = ranked[nPromotable - 1];
  const promote = direction === "maximize" ? value >= cutoff : value <= cutoff;
  return { promote, cutoff, competitors };
}

/** Successive-halving decision for `trial` against the peers accepted by `isPeer` (Hyperband: same bracket). */
export function successiveHalvingDecision(
  study: StudyView,
  trial: FrozenTrial,
  schedule: RungSchedule,
  explain: Explainer,
  isPeer: (t: FrozenTrial) => boolean = () => true,
): PruneDecision {
  const steps = lastTwoSteps(trial);
  if (!steps) return explain.keep("kept: nothing reported yet");
  const { last, previous } = steps;
  const window = schedule.smoothingWindow;
  const horizon = schedule.forecastHorizon;
  const useForecast = horizon !== null && last < horizon;
  const forecast = useForecast ? forecastAt(trial, last, horizon, study.direction) : NaN;
  const value = Number.isNaN(forecast) ? windowMean(trial, last, window) : forecast;
  const valueName = !Number.isNaN(forecast)
    ? `${explain.metric} forecast for ${explain.at(horizon!)}`
    : window === 1
      ? explain.metric
      : `${explain.metric} (mean of the last ${plural(window, explain.stepName)})`;
  let peers: readonly FrozenTrial[] | null = null;
  let promoted: string | null = null;
  // Every rung crossed by this report is decided now (several when steps are skipped), lowest first.
  for (let rung = 0; ; rung++) {
    const step = rungStep(schedule, rung);
    if (step > last || step >= schedule.maxResource) break;
    if (step <= previous) continue;
    if (Number.isNaN(value)) return explain.prune(last, `${valueName} is NaN at rung ${rung}`);
    peers ??= study.trials().filter((t) => t.number !== trial.number && isPeer(t));
    const peerValues: number[] = [];
    for (const peer of peers) {
      const v = horizon === null ? rungValue(peer, step, window) : rungScore(peer, step, window, horizon, study.direction);
      if (v !== undefined) peerValues.push(v);
    }
    const { promote, cutoff, competitors } = promotionCutoff(peerValues, value, schedule.reductionFactor, study.direction);
    const among = `the rung-${rung} cutoff ${formatValue(cutoff)} among ${plural(competitors, "trial")} (top 1/${schedule.reductionFactor} go on)`;
    const shown = `${valueName} ${formatValue(value)}`;
    if (!promote) return explain.prune(last, `${shown} ${worseWord(study.direction)} ${among}`);
    promoted = `promoted at ${explain.at(last)}: ${shown} ${betterWord(study.direction)} ${among}`;
  }
  if (promoted) return explain.keep(promoted);
  const next = nextRungStep(schedule, last);
  if (next >= schedule.maxResource) return explain.keep(`kept: past the last rung at ${explain.at(last)}`);
  return explain.keep(`kept: next rung at ${explain.at(next)}`);
}

function nextRungStep(schedule: RungSchedule, step: number): number {
  let rung = 0;
  while (rungStep(schedule, rung) <= step) rung++;
  return rungStep(schedule, rung);
}

export class SuccessiveHalvingPruner implements Pruner {
  readonly name = "successive-halving";
  readonly schedule: RungSchedule;
  private readonly explain: Explainer;

  constructor(options: SuccessiveHalvingOptions = {}) {
    this.schedule = rungSchedule(options);
    this.explain = new Explainer(options);
  }

  shouldPrune(study: StudyView, trial: FrozenTrial): PruneDecision {
    return successiveHalvingDecision(study, trial, this.schedule, this.explain);
  }
}
