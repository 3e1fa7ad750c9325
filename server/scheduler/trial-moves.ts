// The guard every trial state write carries. A move is checked against the one state table (search/trial-state.ts)
// and applied as `update trials set state = to … where <target> and state in (allowed-before states)
// [and worker_id = holder] [and attempt = attempt]`: one statement, so a move that lost a race (the trial finished,
// was re-queued or stopped meanwhile) changes no row, whatever interleaving the database chose.
import { and, eq, inArray, type SQL } from "drizzle-orm";
import { canTransition, statesAllowedBefore, type TrialStateName } from "../../search/trial-state";
import { trials } from "../db/schema";

type TrialRow = typeof trials.$inferSelect;

/** A caller asked for a move the table forbids: a bug in the caller (a race only ever matches no row). */
export class IllegalTrialMove extends Error {
  constructor(
    readonly from: TrialStateName,
    readonly to: TrialStateName,
  ) {
    super(`a trial cannot go from ${from} to ${to}`);
  }
}

export interface TrialMove {
  to: TrialStateName;
  /** The states the caller moves from (default: all the table allows before `to`); each must be legal. */
  from?: readonly TrialStateName[];
  /** Only while this worker holds the trial (a worker's report); omitted for the server's own decisions. */
  holder?: string | null;
  /** Only for this attempt (a report of a lost attempt moves nothing). */
  attempt?: number | null;
}

/** The WHERE clause of a move (without its target rows); throws IllegalTrialMove for a move the table forbids. */
export function moveGuard(move: TrialMove): SQL {
  const from = move.from ?? statesAllowedBefore(move.to);
  for (const state of from) if (!canTransition(state, move.to)) throw new IllegalTrialMove(state, move.to);
  return and(
    inArray(trials.state, [...from]),
    move.holder != null ? eq(trials.workerId, move.holder) : undefined,
    move.attempt != null ? eq(trials.attempt, move.attempt) : undefined,
  )!;
}

/** Why a worker's report about `trial` moved nothing, from the row as it is now. */
export function refusalOf(trial: TrialRow, move: TrialMove): string {
  if (move.attempt != null && move.attempt !== trial.attempt) return staleAttempt(trial, move.attempt);
  if (move.holder != null && trial.workerId !== move.holder) return `trial ${trial.number} is not held by this worker`;
  if (move.holder != null && trial.state !== "running") return `trial ${trial.number} is ${trial.state}, not running`;
  return `trial ${trial.number} is ${trial.state}; it cannot become ${move.to}`;
}

export function staleAttempt(trial: TrialRow, attempt: number): string {
  return `trial ${trial.number} is on attempt ${trial.attempt + 1}; this report is for attempt ${attempt + 1}, which was lost`;
}
