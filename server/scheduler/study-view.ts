// A sweep's trials as the search library sees them (FrozenTrial), rebuilt from the database, so samplers and
// pruners decide from what is stored: any server process, restarted or not, decides the same way.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Params } from "../../search/parameters";
import type { FrozenTrial, StudyView } from "../../search/types";
import { TRIAL_STATE_NAMES, type TrialStateName } from "../../search/trial-state";
import type { Database } from "../db/client";
import { trialEpochs, trials } from "../db/schema";
import type { SweepDocument } from "../sweeps/sweep-document";

type TrialRow = typeof trials.$inferSelect;

/** A frozen trial with the row fields that tell a cached copy of it from the stored one. */
export interface StoredTrial {
  frozen: FrozenTrial;
  attempt: number;
  epochs: number;
}

export async function loadFrozenTrials(db: Database, sweepId: string, metric: string): Promise<FrozenTrial[]> {
  return (await loadStoredTrials(db, sweepId, metric)).map((t) => t.frozen);
}

/** Every trial of the sweep (or those of `ids`), by number, with the current attempt's reported values of `metric`. */
export async function loadStoredTrials(db: Database, sweepId: string, metric: string, ids?: readonly string[]): Promise<StoredTrial[]> {
  const which = ids ? and(eq(trials.sweepId, sweepId), inArray(trials.id, [...ids])) : eq(trials.sweepId, sweepId);
  const rows = await db.select().from(trials).where(which).orderBy(asc(trials.number));
  if (rows.length === 0) return [];
  const epochs = await db
    .select({ trialId: trialEpochs.trialId, attempt: trialEpochs.attempt, epoch: trialEpochs.epoch, metrics: trialEpochs.metrics })
    .from(trialEpochs)
    .where(inArray(trialEpochs.trialId, rows.map((r) => r.id)));
  const attemptOf = new Map(rows.map((r) => [r.id, r.attempt]));
  const intermediate = new Map<string, Record<number, number>>();
  for (const e of epochs) {
    const value = e.metrics[metric];
    if (value === undefined || e.attempt !== attemptOf.get(e.trialId)) continue; // only the current attempt counts
    const steps = intermediate.get(e.trialId) ?? {};
    steps[e.epoch] = value;
    intermediate.set(e.trialId, steps);
  }
  return rows.map((row) => storedTrialOf(row, intermediate.get(row.id) ?? {}));
}

/** Only a complete trial has a final value for samplers. A trial its sweep's stop cut short ("stopped") is given to
 *  them as it is, with its reported epochs as intermediate values and no value: the user's click chose where it
 *  ended, not its training, so its last value is a partial-fidelity number that would mislead TPE or GP taken as a
 *  result (its sweep never plans again anyway; the leaderboard ranks it by its last value). */
export function storedTrialOf(row: TrialRow, intermediate: Record<number, number>): StoredTrial {
  const frozen: FrozenTrial = {
    number: row.number,
    state: row.state,
    params: row.params as Params,
    value: row.state === "complete" ? row.value : null,
    intermediate,
    systemAttrs: row.systemAttrs,
  };
  return { frozen, attempt: row.attempt, epochs: row.epochs };
}

/** What tells a trial's stored row from an older copy: each change moves it forward (a claim or finish changes the
 *  state, an epoch the epoch count, a re-queue the attempt). */
export type TrialVersion = Pick<TrialRow, "id" | "number" | "state" | "attempt" | "epochs">;

export async function loadTrialVersions(db: Database, sweepId: string): Promise<TrialVersion[]> {
  return db
    .select({ id: trials.id, number: trials.number, state: trials.state, attempt: trials.attempt, epochs: trials.epochs })
    .from(trials)
    .where(eq(trials.sweepId, sweepId));
}

/** Per state: how many trials, and the sums of their attempts and stored epochs. */
export type TrialTally = Record<TrialStateName, { count: number; attempts: number; epochs: number }>;

export function emptyTally(): TrialTally {
  const zero = () => ({ count: 0, attempts: 0, epochs: 0 });
  return Object.fromEntries(TRIAL_STATE_NAMES.map((state) => [state, zero()])) as TrialTally;
}

/** One cheap aggregate over the sweep's trial rows (no epochs, no JSON): the state counts planning needs, and a
 *  fingerprint that changes with every insert, claim, finish, re-queue and new epoch. */
export async function tallyTrials(db: Database, sweepId: string): Promise<TrialTally> {
  const rows = await db
    .select({
      state: trials.state,
      count: sql<number>`count(*)::int`,
      attempts: sql<number>`coalesce(sum(${trials.attempt}), 0)::int`,
      epochs: sql<number>`coalesce(sum(${trials.epochs}), 0)::int`,
    })
    .from(trials)
    .where(eq(trials.sweepId, sweepId))
    .groupBy(trials.state);
  const tally = emptyTally();
  for (const row of rows) tally[row.state] = { count: Number(row.count), attempts: Number(row.attempts), epochs: Number(row.epochs) };
  return tally;
}

export function studyViewOf(document: SweepDocument, frozen: readonly FrozenTrial[]): StudyView {
  return {
    direction: document.metric.goal,
    seed: document.seed,
    trials: (states?: readonly TrialStateName[]) => (states ? frozen.filter((t) => states.includes(t.state)) : frozen),
  };
}
