// What the GP is trained on. Costs grow as n³, so beyond `maxPoints` observations the model keeps the best
// quarter (where the optimum is being refined) and fills the rest with the most recent trials (what the search
// is exploring now). Running trials are "fantasised" separately (see index.ts).
import type { FrozenTrial, StudyView } from "../../types";

export interface Observation {
  trial: FrozenTrial;
  /** Oriented so that lower is better. */
  loss: number;
}

export function completedObservations(study: StudyView): Observation[] {
  const sign = study.direction === "maximize" ? -1 : 1;
  return study
    .trials(["complete"])
    .filter((t) => t.value !== null && Number.isFinite(t.value))
    .map((trial) => ({ trial, loss: sign * (trial.value as number) }));
}

export function boundedTrainingSet(observations: readonly Observation[], maxPoints: number): Observation[] {
  if (observations.length <= maxPoints) return observations.slice();
  const byLoss = observations.slice().sort((a, b) => a.loss - b.loss || a.trial.number - b.trial.number);
  const keep = new Set(byLoss.slice(0, Math.floor(maxPoints / 4)));
  const byRecency = observations.slice().sort((a, b) => b.trial.number - a.trial.number);
  for (const o of byRecency) {
    if (keep.size >= maxPoints) break;
    keep.add(o);
  }
  return observations.filter((o) => keep.has(o));
}

/** The posterior's training set, observations in trial-number order. Up to `maxPoints` it is every observation;
 *  beyond, a bounded set (boundedTrainingSet, `maxPoints − every` of them) is chosen among the observations up
 *  to the last selection checkpoint (maxPoints + k·every), and every later observation is appended. Between
 *  checkpoints the set therefore only grows at its end, which the factor cache extends in O(n²). */
export function posteriorTrainingSet(observations: readonly Observation[], maxPoints: number, every: number): Observation[] {
  const n = observations.length;
  if (n <= maxPoints) return observations.slice();
  const checkpoint = maxPoints + every * Math.floor((n - maxPoints) / every);
  return [...boundedTrainingSet(observations.slice(0, checkpoint), maxPoints - every), ...observations.slice(checkpoint)];
}
