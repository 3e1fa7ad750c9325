// Trial persistence with leases. Every state change goes through `transition`, which refuses moves the
// state machine forbids (finished trials are immutable) and, for running trials, moves by anyone but the holder.
import { and, asc, desc, eq, getTableColumns, inArray, lt, sql, type SQL } from "drizzle-orm";
import { statesAllowedBefore, type TrialStateName } from "../../search/trial-state";
import type { Database } from "../db/client";
import { sweeps, trialArtifacts, trialEpochs, trialEvaluations, trials } from "../db/schema";
import { withDefaults } from "../training/cnn-parameters";
import { lockFairShareQueue, type ClaimingWorker } from "./fair-share-queue";
import type { EpochMetrics, StoredModelArtifact, TestMetrics, TrialEvaluation } from "../training/types";

export type TrialRow = typeof trials.$inferSelect;
export type ReportResult = { ok: true; trial: TrialRow; duplicate: boolean } | { ok: false; error: string };
/** One epoch report, from the worker `holder`. */
export interface EpochWrite {
  trialId: string;
  holder: string;
  attempt: number;
  epoch: number;
  metrics: EpochMetrics;
}

/** Thrown to roll back a batch of proposals of which some were taken. */
const STALE_PROPOSALS = new Error("a proposed trial number is taken");

const leaseUntil = (leaseMs: number) => sql`now() + ${leaseMs} * interval '1 millisecond'`;

/** Why a trial that finished without storing an epoch (with a value of the sweep's metric) is failed. */
export const NO_EPOCH_TO_RANK = "finished without reporting an epoch with the sweep's metric: nothing to rank it by";

export class TrialStore {
  constructor(
    private readonly db: Database,
    private readonly leaseMs: number,
    /** Runs a trial gets in all: a lost one is re-queued until then, then failed. */
    private readonly maxAttempts = 3,
  ) {}

  async insertWaiting(sweepId: string, number: number, params: TrialRow["params"], systemAttrs: TrialRow["systemAttrs"] = {}): Promise<TrialRow | null> {
    const [row] = (await this.insertAllWaiting(sweepId, [{ number, params, systemAttrs }])) ?? [];
    return row ?? null;
  }

  /** Inserts the proposals in one statement (one commit), ordered by number; null, inserting none, when any of the
   *  numbers is taken already (the unique (sweep_id, number) constraint): the proposer's view was stale. */
  async insertAllWaiting(sweepId: string, proposals: readonly Pick<TrialRow, "number" | "params" | "systemAttrs">[]): Promise<TrialRow[] | null> {
    if (proposals.length === 0) return [];
    const values = proposals.map(({ number, params, systemAttrs }) => ({ sweepId, number, params, systemAttrs }));
    return this.db
      .transaction(async (tx) => {
        // As for claims (below): losing these to a database crash loses nothing; a restarted planner proposes them again.
        await tx.execute(sql`set local synchronous_commit = off`);
        const rows = await tx.insert(trials).values(values).onConflictDoNothing().returning();
        if (rows.length < values.length) throw STALE_PROPOSALS;
        return rows.sort((a, b) => a.number - b.number);
      })
      .catch((error) => (error === STALE_PROPOSALS ? null : Promise.reject(error)));
  }

  /** Atomically hands the oldest waiting trial of a running sweep to a worker (skips rows others are claiming). */
  async claimNext(workerId: string, workerName: string): Promise<TrialRow | null> {
    const [row] = await this.claimNextFor([{ id: workerId, name: workerName }]);
    return row ?? null;
  }

  /** Hands waiting trials of running sweeps to these workers, one each in order (fewer when fewer are waiting), in
   *  one transaction: idle workers are served together rather than one claim after another. Across sweeps the
   *  share is fair by priority: a waiting trial ranks by (its sweep's running trials + its place in the sweep's
   *  queue) / priority, so sweeps take turns in proportion to their priorities; within a sweep, oldest first.
   *  Rows that other claimers hold are skipped. Select-then-update: a `WHERE id IN (… SKIP LOCKED LIMIT n)` update
   *  can be re-evaluated row by row by PostgreSQL and claim more trials than asked for. */
  async claimNextFor(workers: readonly ClaimingWorker[]): Promise<TrialRow[]> {
    if (workers.length === 0) return [];
    return this.db.transaction(async (tx) => {
      // A claim lost in a database crash costs a re-run, never data: the holder's first report would be refused.
      // Not waiting for its WAL flush takes the disk's fsync (milliseconds) off every assignment; the next
      // synchronous commit (its first epoch) makes it durable anyway.
      await tx.execute(sql`set local synchronous_commit = off`);
      // GPU workers first: they may take any trial; CPU workers then get trials of sweeps that do not need a GPU.
      const holders: { id: string; worker_id: string; worker_name: string }[] = [];
      for (const onGpu of [true, false]) {
        const group = workers.filter((w) => Boolean(w.gpu) === onGpu);
        if (group.length === 0) continue;
        const ids = await lockFairShareQueue(tx, group.length, onGpu);
        ids.forEach((id, i) => holders.push({ id, worker_id: group[i].id, worker_name: group[i].name }));
      }
      if (holders.length === 0) return [];
      const next = holders.map((h) => h.id);
      const v = sql`jsonb_to_recordset(${JSON.stringify(holders)}::jsonb) as v(id uuid, worker_id text, worker_name text)`;
      const rows = await tx
        .update(trials)
        .set({ state: "running", workerId: sql`v.worker_id`, workerName: sql`v.worker_name`, leaseExpiresAt: leaseUntil(this.leaseMs), startedAt: sql`now()` })
        .from(v)
        .where(and(sql`${trials.id} = v.id`, eq(trials.state, "waiting")))
        .returning(getTableColumns(trials));
      const order = new Map(next.map((id, i) => [id, i]));
      return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    });
  }

  /** Stores one epoch exactly once, updates the trial's latest metrics and value, and extends the lease. */
  async recordEpoch(trialId: string, holder: string, attempt: number, epoch: number, metrics: EpochMetrics): Promise<ReportResult> {
    const [result] = await this.recordEpochs([{ trialId, holder, attempt, epoch, metrics }]);
    return result;
  }

  /** Group commit: a batch of epoch reports in one transaction with one multi-row INSERT … ON CONFLICT DO NOTHING, so
   *  each (trial, attempt, epoch) is stored once however often it is sent. A report of a lost attempt, or from a
   *  worker that does not hold the trial, is refused; a re-sent one is acknowledged as a duplicate. Each stored
   *  epoch updates its trial's latest metrics and value and extends the lease. Results follow the order of `writes`. */
  async recordEpochs(writes: readonly EpochWrite[]): Promise<ReportResult[]> {
    if (writes.length === 0) return [];
    return this.db.transaction(async (tx) => {
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
        if (trial.workerId !== w.holder) return refusal(trial, w.holder, "running");
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
      const { latest, afterEpoch } = await this.applyEpochs(tx, running.filter((w) => fresh.has(epochKey(w))), held);
      const claimed = new Set<string>();
      return writes.map((w, i): ReportResult => {
        if (verdicts[i] !== null) return { ok: false, error: verdicts[i] };
        const key = epochKey(w);
        if (fresh.has(key) && !claimed.has(key)) return claimed.add(key), { ok: true, trial: afterEpoch.get(key)!, duplicate: false };
        const trial = latest.get(w.trialId) ?? held.get(w.trialId)!.trial;
        if (fresh.has(key) || stored.has(key) || trial.state === "running") return { ok: true, trial, duplicate: true };
        return { ok: false, error: refusal(trial, w.holder, "running")! };
      });
    });
  }

  /** Folds the newly stored epochs into their trials in epoch order (a later epoch's metrics win) with one
   *  UPDATE … FROM jsonb_to_recordset, and renews the leases. Returns each trial as updated, and for each epoch the
   *  trial as it was right after that epoch (what the scheduler's per-epoch hook must see). */
  private async applyEpochs(
    tx: Database,
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
      .set({ metrics: sql`v.metrics`, epochs: sql`v.epochs`, value: sql`v.value`, leaseExpiresAt: leaseUntil(this.leaseMs) })
      .from(rows)
      .where(sql`${trials.id} = v.id`)
      .returning(getTableColumns(trials));
    const latest = new Map(updated.map((t) => [t.id, t]));
    const afterEpoch = new Map([...folds].map(([key, fold]) => [key, { ...latest.get(fold.id)!, ...fold }]));
    return { latest, afterEpoch };
  }

  /** Marks the trial complete and stores its model in one transaction. A re-sent completion is acknowledged. */
  async complete(
    trialId: string,
    holder: string,
    attempt: number,
    testMetrics: TestMetrics,
    artifact: StoredModelArtifact,
    stopReason?: string,
    evaluation?: TrialEvaluation,
  ): Promise<ReportResult> {
    return this.db.transaction(async (tx) => {
      const [trial] = await tx.select().from(trials).where(eq(trials.id, trialId)).for("update");
      if (!trial) return { ok: false, error: `unknown trial ${trialId}` };
      if (attempt !== trial.attempt) return { ok: false, error: staleAttempt(trial, attempt) };
      if (trial.state === "complete" && trial.workerId === holder) return { ok: true, trial, duplicate: true };
      const refused = refusal(trial, holder, "complete");
      if (refused) return { ok: false, error: refused };
      if (trial.value === null) {
        // Stopped before its first epoch: a complete trial without a value would have nothing to rank it by (and
        // samplers refuse one), so the report is accepted and the trial ends as failed, saying why.
        return { ok: true, trial: await finish(tx, trialId, { state: "failed", error: NO_EPOCH_TO_RANK }), duplicate: false };
      }
      await tx.insert(trialArtifacts).values({
        trialId,
        modelJson: artifact.modelJson,
        weightsSha256: artifact.weights.sha256,
        weightsBytes: artifact.weights.bytes,
        metadata: artifact.metadata,
      });
      if (evaluation) await tx.insert(trialEvaluations).values({ trialId, evaluation });
      const [updated] = await tx
        .update(trials)
        .set({
          state: "complete",
          stopReason: stopReason ?? null,
          metrics: { ...trial.metrics, ...testMetrics },
          leaseExpiresAt: null,
          finishedAt: sql`now()`,
        })
        .where(eq(trials.id, trialId))
        .returning();
      return { ok: true, trial: updated, duplicate: false };
    });
  }

  /** `attempt` guards a worker's report (null: the server's own decision, e.g. a stopped sweep). */
  async fail(trialId: string, holder: string | null, error: string, attempt: number | null = null): Promise<ReportResult> {
    return this.db.transaction(async (tx) => {
      const [trial] = await tx.select().from(trials).where(eq(trials.id, trialId)).for("update");
      if (!trial) return { ok: false, error: `unknown trial ${trialId}` };
      if (attempt !== null && attempt !== trial.attempt) return { ok: false, error: staleAttempt(trial, attempt) };
      if (trial.state === "failed" && trial.workerId === holder) return { ok: true, trial, duplicate: true };
      const refused = holder === null ? stateRefusal(trial, "failed") : refusal(trial, holder, "failed");
      if (refused) return { ok: false, error: refused };
      return { ok: true, trial: await finish(tx, trialId, { state: "failed", error }), duplicate: false };
    });
  }

  /** The server's pruner decided: the trial ends now; the worker's later reports are refused. */
  async prune(trialId: string, reason: string): Promise<ReportResult> {
    return this.db.transaction(async (tx) => {
      const [trial] = await tx.select().from(trials).where(eq(trials.id, trialId)).for("update");
      if (!trial) return { ok: false, error: `unknown trial ${trialId}` };
      const refused = stateRefusal(trial, "pruned");
      if (refused) return { ok: false, error: refused };
      return { ok: true, trial: await finish(tx, trialId, { state: "pruned", stopReason: reason }), duplicate: false };
    });
  }

  /** Running trials whose holder stopped renewing its lease (crashed worker, lost network) go back to waiting
   *  as their next attempt, or fail once they have had all their attempts. Late reports of the lost attempt are
   *  then refused, so nothing it sends is counted twice. */
  async expireLeases(): Promise<{ requeued: TrialRow[]; failed: TrialRow[] }> {
    const expired = and(eq(trials.state, "running"), lt(trials.leaseExpiresAt, sql`now()`));
    const lost = sql`'attempt ' || (${trials.attempt} + 1) || ' lost: worker ' || coalesce(${trials.workerName}, '?') || ' stopped responding'`;
    // One transaction, so both updates see the same now(): a lease that lapses between them would otherwise be
    // failed without the re-queue it was due.
    return this.db.transaction(async (tx) => {
      const requeued = await tx
        .update(trials)
        .set({
          state: "waiting",
          attempt: sql`${trials.attempt} + 1`,
          stopReason: sql`${lost} || '; re-queued'`,
          workerId: null,
          workerName: null,
          leaseExpiresAt: null,
          startedAt: null,
          metrics: {},
          value: null,
          epochs: 0,
        })
        .where(and(expired, lt(trials.attempt, this.maxAttempts - 1)))
        .returning();
      const failed = await tx
        .update(trials)
        .set({ state: "failed", error: sql`${lost} || ' (lease expired; no attempts left)'`, leaseExpiresAt: null, finishedAt: sql`now()` })
        .where(expired)
        .returning();
      return { requeued, failed };
    });
  }

  async extendLease(trialId: string, holder: string): Promise<boolean> {
    const rows = await this.db
      .update(trials)
      .set({ leaseExpiresAt: leaseUntil(this.leaseMs) })
      .where(and(eq(trials.id, trialId), eq(trials.state, "running"), eq(trials.workerId, holder)))
      .returning({ id: trials.id });
    return rows.length > 0;
  }

  async countsBySweep(sweepId: string): Promise<Record<TrialStateName, number>> {
    const rows = await this.db
      .select({ state: trials.state, n: sql<number>`count(*)::int` })
      .from(trials)
      .where(eq(trials.sweepId, sweepId))
      .groupBy(trials.state);
    const counts: Record<TrialStateName, number> = { waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 };
    for (const row of rows) counts[row.state] = Number(row.n);
    return counts;
  }

  /** The best value among the sweep's complete trials, per the goal; null before any. */
  async bestValue(sweepId: string, goal: "maximize" | "minimize"): Promise<number | null> {
    const best = goal === "maximize" ? sql<number | null>`max(${trials.value})` : sql<number | null>`min(${trials.value})`;
    const [row] = await this.db.select({ best }).from(trials).where(and(eq(trials.sweepId, sweepId), eq(trials.state, "complete")));
    return row?.best ?? null;
  }

  /** States of the sweep's most recently finished trials, newest first, with their errors. */
  async recentlyFinished(sweepId: string, limit: number): Promise<Pick<TrialRow, "state" | "error">[]> {
    return this.db
      .select({ state: trials.state, error: trials.error })
      .from(trials)
      .where(and(eq(trials.sweepId, sweepId), inArray(trials.state, ["complete", "pruned", "failed"])))
      .orderBy(desc(trials.finishedAt), desc(trials.number))
      .limit(limit);
  }

  /** Trials of a sweep that are waiting or running. */
  async unfinished(sweepId: string): Promise<TrialRow[]> {
    return this.db.select().from(trials).where(and(eq(trials.sweepId, sweepId), inArray(trials.state, ["waiting", "running"])));
  }

  /** The stored end-of-trial evaluation; null for an unknown trial, `evaluation: null` before it completes. */
  async evaluation(trialId: string): Promise<{ evaluation: TrialEvaluation | null } | null> {
    const [row] = await this.db
      .select({ evaluation: trialEvaluations.evaluation })
      .from(trials)
      .leftJoin(trialEvaluations, eq(trialEvaluations.trialId, trials.id))
      .where(eq(trials.id, trialId));
    return row ? { evaluation: row.evaluation ?? null } : null;
  }

  async get(trialId: string): Promise<TrialRow | null> {
    const [row] = await this.db.select().from(trials).where(eq(trials.id, trialId));
    return row ?? null;
  }
}

const epochKey = (e: { trialId: string; attempt: number; epoch: number }) => `${e.trialId}/${e.attempt}/${e.epoch}`;

/** The rows to insert as one JSON parameter: far cheaper to build and send than four parameters per row. drizzle
 *  names every column in an INSERT … SELECT, so the ones not reported take their defaults here, in table order. */
function epochRows(epochs: EpochWrite[]): SQL {
  const json = JSON.stringify(epochs.map((e) => ({ trial_id: e.trialId, attempt: e.attempt, epoch: e.epoch, metrics: e.metrics })));
  return sql`select e.trial_id, e.attempt, e.epoch, e.metrics, now(), pg_current_xact_id()
    from jsonb_to_recordset(${json}::jsonb) as e(trial_id uuid, attempt int, epoch int, metrics jsonb)`;
}

/** Ends a trial (failed or pruned) with its reason: the lease released, the finish time stamped. */
async function finish(tx: Database, trialId: string, outcome: { state: "failed"; error: string } | { state: "pruned"; stopReason: string }): Promise<TrialRow> {
  const [row] = await tx
    .update(trials)
    .set({ ...outcome, leaseExpiresAt: null, finishedAt: sql`now()` })
    .where(eq(trials.id, trialId))
    .returning();
  return row;
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

function staleAttempt(trial: TrialRow, attempt: number): string {
  return `trial ${trial.number} is on attempt ${trial.attempt + 1}; this report is for attempt ${attempt + 1}, which was lost`;
}

function stateRefusal(trial: TrialRow, to: TrialStateName): string | null {
  return statesAllowedBefore(to).includes(trial.state) ? null : `trial ${trial.number} is ${trial.state}; it cannot become ${to}`;
}

function refusal(trial: TrialRow, holder: string, to: TrialStateName): string | null {
  if (trial.workerId !== holder) return `trial ${trial.number} is not held by this worker`;
  if (to === "running") return trial.state === "running" ? null : `trial ${trial.number} is ${trial.state}, not running`;
  return stateRefusal(trial, to);
}
