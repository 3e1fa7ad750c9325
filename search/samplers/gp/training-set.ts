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
