// The one trial state machine. Finished trials are immutable: no transition leaves a finished state.
// running -> waiting is a re-queue: the holder was lost, and the trial runs again as its next attempt.
export type TrialStateName = "waiting" | "running" | "complete" | "pruned" | "failed";

const TRANSITIONS: Record<TrialStateName, readonly TrialStateName[]> = {
  waiting: ["running", "failed"],
  running: ["complete", "pruned", "failed", "waiting"],
  complete: [],
  pruned: [],
  failed: [],
};

export function canTransition(from: TrialStateName, to: TrialStateName): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The states a trial may be in for a move to `to` to be allowed. */
export function statesAllowedBefore(to: TrialStateName): TrialStateName[] {
  return (Object.keys(TRANSITIONS) as TrialStateName[]).filter((from) => canTransition(from, to));
}

export function isFinished(state: TrialStateName): boolean {
  return TRANSITIONS[state].length === 0;
}
