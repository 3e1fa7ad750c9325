// What changed in a sweep since a cursor: the REST fallback for clients that cannot hold a Socket.IO connection.
//
// Every sweep, trial, epoch and model row carries the id of the transaction that last wrote it (`change_xid`, see
// schema.ts). The cursor is the oldest transaction still running when a read began (its snapshot's xmin): every
// transaction below it had finished, so its rows were visible to that read. The next read returns rows written by
// transactions at or above the cursor. A transaction that took its id early but committed late (out of order) is
// therefore still caught by the next read; the price is that a row may be returned twice, which clients absorb by
// keying on ids (as they do for pushed events). A timestamp or a sequence would miss such a transaction.
import { and, asc, eq, gte, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../db/client";
import { models, sweeps, trialEpochs, trials } from "../db/schema";
import { AppError } from "../errors";
import { isUuid } from "../models/model-registry";
import { toTrialSummary, type SweepStore } from "./sweep-store";
import type { SweepChanges } from "./types";

/** Beyond these, one response would grow with the sweep: the client is told to reset (load a fresh snapshot). */
export const CHANGE_LIMITS = { trials: 2_000, epochs: 20_000, watched: 50 } as const;

export const changesQuerySchema = z.object({
  since: z
    .string()
    .regex(/^\d{1,19}$/, "must be a cursor from an earlier response (a decimal number), or absent for everything")
    .nullable(),
  /** Only these trials' epochs (the ones whose curves the page draws); all trials' epochs when absent. */
  trials: z
    .string()
    .max(CHANGE_LIMITS.watched * 37, `lists at most ${CHANGE_LIMITS.watched} trial ids`)
    .transform((text) => (text === "" ? [] : [...new Set(text.split(","))]))
    .pipe(z.array(z.string().refine(isUuid, "lists trial ids (uuids)")).max(CHANGE_LIMITS.watched, `lists at most ${CHANGE_LIMITS.watched} trial ids`))
    .nullable()
    .default(null),
});

/** Throws AppError("invalid") for a malformed cursor or one this database has not reached, AppError("not_found")
 *  for an unknown sweep. With more than CHANGE_LIMITS changed, answers `reset` and nothing else. */
export async function sweepChanges(db: Database, store: SweepStore, sweepId: string, since: string | null, watched: string | null = null): Promise<SweepChanges> {
  const query = changesQuerySchema.safeParse({ since, trials: watched });
  if (!query.success) {
    const issue = query.error.issues[0];
    const path = issue.path[0] === "trials" ? "trials" : "since";
    throw new AppError("invalid", path === "trials" ? "bad trial list" : "bad cursor", [{ path, message: issue.message }]);
  }
  if (!isUuid(sweepId)) throw new AppError("not_found", "sweep not found");
  const from = query.data.since ?? "0";
  // The cursor comes from the snapshot that reads the sweep row, taken before anything else is read.
  const [head] = await db
    .select({
      changed: sql<boolean>`${sweeps.changeXid} >= ${from}::xid8`,
      cursor: sql<string>`pg_snapshot_xmin(pg_current_snapshot())::text`,
      ahead: sql<boolean>`${from}::xid8 > pg_snapshot_xmax(pg_current_snapshot())`,
    })
    .from(sweeps)
    .where(eq(sweeps.id, sweepId));
  if (!head) throw new AppError("not_found", "sweep not found");
  if (head.ahead) throw new AppError("invalid", "bad cursor", [{ path: "since", message: "is ahead of this database: start again without it" }]);

  const changedSince = sql`${from}::xid8`;
  const promoted = db.select({ trialId: models.trialId }).from(models).where(gte(models.changeXid, changedSince));
  const reset = (): SweepChanges => ({ cursor: head.cursor, reset: true, sweep: null, trials: [], epochs: [] });
  // LIMIT n + 1 tells "more than n" without loading the rest.
  const trialRows = await db
    .select()
    .from(trials)
    .where(and(eq(trials.sweepId, sweepId), or(gte(trials.changeXid, changedSince), inArray(trials.id, promoted))))
    .orderBy(asc(trials.number))
    .limit(CHANGE_LIMITS.trials + 1);
  if (trialRows.length > CHANGE_LIMITS.trials) return reset();
  const modelRows = trialRows.length
    ? await db.select({ id: models.id, trialId: models.trialId }).from(models).where(inArray(models.trialId, trialRows.map((t) => t.id)))
    : [];
  const modelOf = new Map(modelRows.map((m) => [m.trialId, m.id]));
  // Only the current attempt's epochs (those the curves show), of the watched trials when given. Unordered with a
  // limit, so the database stops at n + 1 rows; the at most n kept are sorted here.
  const onlyWatched = query.data.trials;
  const epochRows =
    onlyWatched && onlyWatched.length === 0
      ? []
      : await db
          .select({ trialId: trialEpochs.trialId, number: trials.number, epoch: trialEpochs.epoch, metrics: trialEpochs.metrics })
          .from(trialEpochs)
          .innerJoin(trials, and(eq(trials.id, trialEpochs.trialId), eq(trials.attempt, trialEpochs.attempt)))
          .where(and(eq(trials.sweepId, sweepId), gte(trialEpochs.changeXid, changedSince), onlyWatched ? inArray(trials.id, onlyWatched) : undefined))
          .limit(CHANGE_LIMITS.epochs + 1);
  if (epochRows.length > CHANGE_LIMITS.epochs) return reset();
  epochRows.sort((a, b) => a.number - b.number || a.epoch - b.epoch);

  return {
    cursor: head.cursor,
    reset: false,
    // Trial changes move the sweep's counts and best value, so its summary comes with them.
    sweep: head.changed || trialRows.length > 0 ? await store.summary(sweepId) : null,
    trials: trialRows.map((t) => toTrialSummary(t, modelOf.get(t.id) ?? null)),
    epochs: epochRows.map((e) => ({ trialId: e.trialId, record: { epoch: e.epoch, metrics: e.metrics } })),
  };
}
