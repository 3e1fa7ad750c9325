// The one trial state machine. Finished trials are immutable: no transition leaves a finished state.
// running -> waiting is a re-queue: the holder was lost (or its trainer killed), and the trial runs again as its
// next attempt. "stopped" ends a trial cut short by its sweep's stop: a waiting one too, so that its row (which may
// carry a lost attempt's history) stays in the sweep's counts and change feed instead of vanishing.
export type TrialStateName = "waiting" | "running" | "complete" | "pruned" | "failed" | "stopped";

const TRANSITIONS: Record<TrialStateName, readonly TrialStateName[]> = {
  waiting: ["running", "failed", "stopped"],
  running: ["complete", "pruned", "failed", "waiting", "stopped"],
  complete: [],
  pruned: [],
  failed: [],
  stopped: [],
};

/** Every state, in the table's order (tests generate every (from, to) pair from it). */
export const TRIAL_STATE_NAMES = Object.keys(TRANSITIONS) as TrialStateName[];

export function canTransition(from: TrialStateName, to: TrialStateName): boolean {
  return TRANSITIONS[from]?.includes(to) ?? false;
}

/** The states a trial may be in for a move to `to` to be allowed. */
export function statesAllowedBefore(to: TrialStateName): TrialStateName[] {
  return TRIAL_STATE_NAMES.filter((from) => canTransition(from, to));
}

export function isFinished(state: TrialStateName): boolean {
  return TRANSITIONS[state].length === 0;
}
