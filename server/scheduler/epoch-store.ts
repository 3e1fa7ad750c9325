// Epoch reports, group-committed: the one trial write that does not change a trial's state. It is guarded like
// the moves (trial-moves.ts): only the holder's current attempt of a running trial stores an epoch, checked on
// the rows locked in the same transaction that writes them.
import { asc, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { sweeps, trialEpochs, trials } from "../db/schema";
import { withDefaults } from "../training/cnn-parameters";
import type { EpochMetrics } from "../training/types";
import { refusalOf, staleAttempt } from "./trial-moves";

type TrialRow = typeof trials.$inferSelect;
export type ReportResult = { ok: true; trial: TrialRow; duplicate: boolean } | { ok: false; error: string };
/** One epoch report, from the worker `holder`. */
export interface EpochWrite {
  trialId: string;
  holder: string;
  attempt: number;
  epoch: number;
  metrics: EpochMetrics;
}

export const leaseUntil = (leaseMs: number) => sql`now() + ${leaseMs} * interval '1 millisecond'`;

/** Group commit: a batch of epoch reports in one transaction with one multi-row INSERT … ON CONFLICT DO NOTHING, so
 *  each (trial, attempt, epoch) is stored once however often it is sent. A report of a lost attempt, or from a
 *  worker that does not hold the trial, is refused; a re-sent one is acknowledged as a duplicate. Each stored
 *  epoch updates its trial's latest metrics and value and extends the lease. Results follow the order of `writes`. */
export async function recordEpochBatch(db: Database, leaseMs: number, writes: readonly EpochWrite[]): Promise<ReportResult[]> {
  if (writes.length === 0) return [];
  return db.transaction(async (tx) => {
    // Locked in id order, so concurrent batches over the same trials cannot deadlock each other.
    const locked = await tx
      .select({ trial: trials, metric: sql<string>`${sweeps.document}->'metric'->>'name'` })
      .from(trials)
      .innerJoin(sweeps, eq(sweeps.id, trials.sweepId))
      .where(inArray(trials.id, [...new Set(writes.map((w) => w.trialId))]))
      .orderBy(asc(trials.id))
      .for("update", { of: trials });
    const held = new Map(locked.map((r) => [r.trial.id, r]));
    const verdicts = writes.map((w): string | null => {
      const trial = held.get(w.trialId)?.trial;
      if (!trial) return `unknown trial ${w.trialId}`;
      if (w.attempt !== trial.attempt) return staleAttempt(trial, w.attempt);
      if (trial.workerId !== w.holder) return refusalOf(trial, { to: "running", holder: w.holder });
      // The row is locked and in hand, so the trial's own epoch count costs no query.
      const epochs = Number(withDefaults(trial.params).epochs);
      return w.epoch <= epochs ? null : `epoch ${w.epoch} is beyond trial ${trial.number}'s ${epochs} epochs`;
    });
    // The first copy of each key is written; concurrent re-sends in the same batch share its outcome.
    const firsts = new Map<string, EpochWrite>();
    writes.forEach((w, i) => verdicts[i] === null && !firsts.has(epochKey(w)) && firsts.set(epochKey(w), w));
    const running = [...firsts.values()].filter((w) => held.get(w.trialId)!.trial.state === "running");
    const inserted = running.length
      ? await tx
          .insert(trialEpochs)
          .select(epochRows(running))
          .onConflictDoNothing()
          .returning({ trialId: trialEpochs.trialId, attempt: trialEpochs.attempt, epoch: trialEpochs.epoch })
      : [];
    const fresh = new Set(inserted.map(epochKey));
    const finished = [...firsts.values()].filter((w) => held.get(w.trialId)!.trial.state !== "running");
    const stored = finished.length ? await storedKeys(tx, finished) : new Set<string>();
    const { latest, afterEpoch } = await applyEpochs(tx, leaseMs, running.filter((w) => fresh.has(epochKey(w))), held);
    const claimed = new Set<string>();
    return writes.map((w, i): ReportResult => {
      if (verdicts[i] !== null) return { ok: false, error: verdicts[i] };
      const key = epochKey(w);
      if (fresh.has(key) && !claimed.has(key)) return claimed.add(key), { ok: true, trial: afterEpoch.get(key)!, duplicate: false };
      const trial = latest.get(w.trialId) ?? held.get(w.trialId)!.trial;
      if (fresh.has(key) || stored.has(key) || trial.state === "running") return { ok: true, trial, duplicate: true };
      return { ok: false, error: refusalOf(trial, { to: "running", holder: w.holder }) };
    });
  });
}

/** Folds the newly stored epochs into their trials in epoch order (a later epoch's metrics win) with one
 *  UPDATE … FROM jsonb_to_recordset, and renews the leases. Returns each trial as updated, and for each epoch the
 *  trial as it was right after that epoch (what the scheduler's per-epoch hook must see). */
async function applyEpochs(
  tx: Database,
  leaseMs: number,
  epochs: EpochWrite[],
  held: Map<string, { trial: TrialRow; metric: string }>,
): Promise<{ latest: Map<string, TrialRow>; afterEpoch: Map<string, TrialRow> }> {
  type Fold = Pick<TrialRow, "id" | "metrics" | "epochs" | "value">;
  const next = new Map<string, Fold>();
  const folds = new Map<string, Fold>();
  for (const w of [...epochs].sort((a, b) => a.epoch - b.epoch)) {
    const { trial, metric } = held.get(w.trialId)!;
    const t = { ...(next.get(w.trialId) ?? { id: trial.id, metrics: trial.metrics, epochs: trial.epochs, value: trial.value }) };
    if (w.epoch >= t.epochs) {
      const values = w.metrics as unknown as Record<string, number>;
      t.metrics = { ...t.metrics, ...values };
      if (Number.isFinite(values[metric])) t.value = values[metric];
    }
    t.epochs = Math.max(t.epochs, w.epoch);
    next.set(w.trialId, t);
    folds.set(epochKey(w), t);
  }
  if (next.size === 0) return { latest: new Map(), afterEpoch: new Map() };
  const rows = sql`jsonb_to_recordset(${JSON.stringify([...next.values()])}::jsonb) as v(id uuid, metrics jsonb, epochs int, value float8)`;
  const updated = await tx
    .update(trials)
    .set({ metrics: sql`v.metrics`, epochs: sql`v.epochs`, value: sql`v.value`, leaseExpiresAt: leaseUntil(leaseMs) })
    .from(rows)
    // (The rows are locked and were checked running above; the guard restates it.)
    .where(sql`${trials.id} = v.id and ${trials.state} = 'running'`)
    .returning(getTableColumns(trials));
  const latest = new Map(updated.map((t) => [t.id, t]));
  const afterEpoch = new Map([...folds].map(([key, fold]) => [key, { ...latest.get(fold.id)!, ...fold }]));
  return { latest, afterEpoch };
}

const epochKey = (e: { trialId: string; attempt: number; epoch: number }) => `${e.trialId}/${e.attempt}/${e.epoch}`;

/** The rows to insert as one JSON parameter: far cheaper to build and send than four parameters per row. drizzle
 *  names every column in an INSERT … SELECT, so the ones not reported take their defaults here, in table order. */
function epochRows(epochs: EpochWrite[]): SQL {
  const json = JSON.stringify(epochs.map((e) => ({ trial_id: e.trialId, attempt: e.attempt, epoch: e.epoch, metrics: e.metrics })));
  return sql`select e.trial_id, e.attempt, e.epoch, e.metrics, now(), pg_current_xact_id()
    from jsonb_to_recordset(${json}::jsonb) as e(trial_id uuid, attempt int, epoch int, metrics jsonb)`;
}

/** Which of these epochs are already stored (re-sends that reach a trial after it finished). */
async function storedKeys(tx: Database, epochs: EpochWrite[]): Promise<Set<string>> {
  const keys = epochs.map((e) => sql`(${e.trialId}::uuid, ${e.attempt}::int, ${e.epoch}::int)`);
  const rows = await tx
    .select({ trialId: trialEpochs.trialId, attempt: trialEpochs.attempt, epoch: trialEpochs.epoch })
    .from(trialEpochs)
    .where(sql`(${trialEpochs.trialId}, ${trialEpochs.attempt}, ${trialEpochs.epoch}) in (${sql.join(keys, sql`, `)})`);
  return new Set(rows.map(epochKey));
}
