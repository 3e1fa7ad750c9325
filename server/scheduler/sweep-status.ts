// The one sweep status table and the one guarded write that applies it. Every status write (the planner starting
// or ending a sweep, pause / resume / stop, tests' fixtures) is `update … where status in (the statuses it was read
// in)`, so a move computed from a status that changed meanwhile (a pause landing mid-plan) changes nothing.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { sweeps } from "../db/schema";
import { SWEEP_STATUSES, type SweepStatus } from "../sweeps/types";

type SweepRow = typeof sweeps.$inferSelect;

/** Which moves are legal. A queued sweep starts (running) on its first plan; only a running one finishes or fails
 *  (the planner decides that from its trials); stopped, failed and finished are final. */
const SWEEP_MOVES: Record<SweepStatus, readonly SweepStatus[]> = {
  queued: ["running", "paused", "stopped"],
  running: ["paused", "stopped", "finished", "failed"],
  paused: ["running", "stopped"],
  stopped: [],
  failed: [],
  finished: [],
};

export function canMoveSweep(from: SweepStatus, to: SweepStatus): boolean {
  return SWEEP_MOVES[from]?.includes(to) ?? false;
}

export function sweepStatusesBefore(to: SweepStatus): SweepStatus[] {
  return SWEEP_STATUSES.filter((from) => canMoveSweep(from, to));
}

export function isSweepEnded(status: SweepStatus): boolean {
  return SWEEP_MOVES[status].length === 0;
}

/** A caller asked for a move the table forbids: a bug in the caller, not a race (races just match no row). */
export class IllegalSweepMove extends Error {
  constructor(
    readonly from: SweepStatus,
    readonly to: SweepStatus,
  ) {
    super(`a sweep cannot go from ${from} to ${to}`);
  }
}

/** Moves the sweep to `to` if it is in one of `from` (default: every status the table allows before `to`), in one
 *  statement; null when it was in another status. `error` is the reason a sweep failed (cleared otherwise). */
export async function moveSweep(
  db: Database,
  id: string,
  to: SweepStatus,
  options: { from?: readonly SweepStatus[]; error?: string | null } = {},
): Promise<SweepRow | null> {
  const from = options.from ?? sweepStatusesBefore(to);
  for (const status of from) if (!canMoveSweep(status, to)) throw new IllegalSweepMove(status, to);
  if (from.length === 0) return null;
  const [row] = await db
    .update(sweeps)
    .set({ status: to, error: options.error ?? null, ...(isSweepEnded(to) ? { finishedAt: sql`now()` } : {}) })
    .where(and(eq(sweeps.id, id), inArray(sweeps.status, [...from])))
    .returning();
  return row ?? null;
}
