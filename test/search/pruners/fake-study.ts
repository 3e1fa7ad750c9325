// Hand-built studies for pruner tests: trials given as their reports, no sampler involved.
import type { TrialStateName } from "../../../search/trial-state";
import type { Direction, FrozenTrial, StudyView } from "../../../search/types";

export function trialOf(number: number, values: readonly number[], state: TrialStateName = "complete", systemAttrs: Record<string, unknown> = {}): FrozenTrial {
  const intermediate: Record<number, number> = {};
  values.forEach((v, i) => (intermediate[i + 1] = v));
  return { number, state, params: {}, value: state === "complete" ? values[values.length - 1] : null, intermediate, systemAttrs };
}

export function studyOf(trials: FrozenTrial[], direction: Direction = "maximize", seed = 0): StudyView {
  return {
    direction,
    seed,
    trials: (states) => (states ? trials.filter((t) => states.includes(t.state)) : trials),
  };
}

/** n complete trials with flat curves at the given levels (steps 1..length). */
export function flatPeers(levels: readonly number[], length: number, firstNumber = 0): FrozenTrial[] {
  return levels.map((level, i) => trialOf(firstNumber + i, Array.from({ length }, () => level)));
}
