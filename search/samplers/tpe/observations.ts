// Which past trials inform TPE, and how they split into "good" (below) and "bad" (above). Complete trials rank by
// value; pruned trials rank after them (deeper first, then by their last reported value); with the constant liar,
// trials still running rank last, so parallel workers steer away from configurations already being tried.
import type { FrozenTrial, StudyView } from "../../types";

export interface TpeSplit {
  below: FrozenTrial[];
  above: FrozenTrial[];
}

export type GammaFn = (n: number) => number;

/** Optuna's default: the best 10%, at most 25. */
export const defaultGamma: GammaFn = (n) => Math.min(Math.ceil(0.1 * n), 25);

/** Optuna's default weights (chronological order): the 25 most recent weigh 1, older ones ramp down linearly. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array(n).fill(1);
  const ramp = n - 25;
  const weights: number[] = [];
  for (let i = 0; i < ramp; i++) weights.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) weights.push(1);
  return weights;
}

/** Trials that hold every one of `names` and count as evidence (the asking trial itself excluded). */
export function evidenceTrials(study: StudyView, current: FrozenTrial, names: readonly string[], constantLiar: boolean): FrozenTrial[] {
  const states = constantLiar ? (["complete", "pruned", "running"] as const) : (["complete", "pruned"] as const);
  return study
    .trials(states)
    .filter((t) => t.number !== current.number && names.every((name) => name in t.params))
    .filter((t) => t.state !== "complete" || (t.value !== null && Number.isFinite(t.value)));
}

/** Every trial's position in the global ranking (best first), by trial number. */
export function rankTrials(trials: readonly FrozenTrial[], direction: StudyView["direction"]): Map<number, number> {
  const sign = direction === "maximize" ? -1 : 1;
  const keyed = trials.map((trial) => ({ trial, ...rankKey(trial, sign) }));
  keyed.sort((a, b) => a.tier - b.tier || a.first - b.first || a.second - b.second || a.trial.number - b.trial.number);
  return new Map(keyed.map((k, i) => [k.trial.number, i]));
}

/** Splits chronologically ordered trials into the best γ(n) and the rest, both kept in chronological order. */
export function splitTrials(trials: readonly FrozenTrial[], rankOf: ReadonlyMap<number, number>, gamma: GammaFn): TpeSplit {
  const nBelow = Math.min(gamma(trials.length), trials.length);
  if (nBelow === 0) return { below: [], above: trials.slice() };
  const ranks = Float64Array.from(trials, (t) => rankOf.get(t.number)!).sort();
  const threshold = ranks[nBelow - 1];
  const below: FrozenTrial[] = [];
  const above: FrozenTrial[] = [];
  for (const t of trials) (rankOf.get(t.number)! <= threshold ? below : above).push(t);
  return { below, above };
}

/** Sort key: tier (complete, pruned, running), then value for complete trials, (−last step, last value) for pruned. */
function rankKey(trial: FrozenTrial, sign: number): { tier: number; first: number; second: number } {
  if (trial.state === "complete") return { tier: 0, first: sign * (trial.value as number), second: 0 };
  if (trial.state === "pruned") {
    let last = -Infinity;
    for (const step of Object.keys(trial.intermediate)) last = Math.max(last, Number(step));
    if (last === -Infinity) return { tier: 1, first: 0, second: Infinity };
    const value = trial.intermediate[last];
    return { tier: 1, first: -last, second: Number.isFinite(value) ? sign * value : Infinity };
  }
  return { tier: 2, first: 0, second: 0 };
}
