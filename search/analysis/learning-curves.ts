// Intermediate values (learning curves) per trial, steps ascending, with how each trial ended, for the
// dashboard's curve view. Running trials are included so curves grow live.
import type { TrialStateName } from "../trial-state";
import type { FrozenTrial } from "../types";

export interface LearningCurve {
  number: number;
  state: TrialStateName;
  steps: number[];
  /** null where a report was NaN or infinite (not representable in JSON). */
  values: (number | null)[];
  /** Last reported step (where a pruned trial was stopped); null without reports. */
  lastStep: number | null;
}

export function learningCurves(trials: readonly FrozenTrial[]): LearningCurve[] {
  return [...trials]
    .sort((a, b) => a.number - b.number)
    .map((t) => {
      const steps = Object.keys(t.intermediate)
        .map(Number)
        .sort((a, b) => a - b);
      return {
        number: t.number,
        state: t.state,
        steps,
        values: steps.map((s) => (Number.isFinite(t.intermediate[s]) ? t.intermediate[s] : null)),
        lastStep: steps.length ? steps[steps.length - 1] : null,
      };
    });
}
