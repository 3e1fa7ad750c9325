// Trial-state facts the page needs, derived from the one state list (TRIAL_STATES) and the one state machine
// (search/trial-state.ts), so a state added there (e.g. "stopped") shows up in filters and counts without edits here.
import { isFinished, type TrialStateName } from "../../search/trial-state";
import { TRIAL_STATES, type SweepSummary, type TrialState } from "../../server/sweeps/types";

export const ALL_TRIAL_STATES: readonly TrialState[] = TRIAL_STATES;

/** True for a terminal state; a state the state machine does not know is treated as not finished. */
export function isFinishedState(state: TrialState): boolean {
  try {
    return isFinished(state as TrialStateName);
  } catch {
    return false;
  }
}

// Trials that have a place in the ranking (the server's rule): complete, stopped, and running ones with a value.
const RANKING_STATES: ReadonlySet<string> = new Set(["complete", "running", "stopped"]);
export const isRankingState = (state: TrialState): boolean => RANKING_STATES.has(state);

export type TrialCounts = SweepSummary["trialCounts"];

export function countOf(counts: TrialCounts, state: TrialState): number {
  return (counts as Partial<Record<TrialState, number>>)[state] ?? 0;
}

export function finishedCount(counts: TrialCounts): number {
  return ALL_TRIAL_STATES.filter(isFinishedState).reduce((sum, s) => sum + countOf(counts, s), 0);
}

/** Trials in these states (all of them for null): the leaderboard's total for a state filter. */
export function countInStates(counts: TrialCounts, states: readonly TrialState[] | null): number {
  return (states ?? ALL_TRIAL_STATES).reduce((sum, s) => sum + countOf(counts, s), 0);
}
