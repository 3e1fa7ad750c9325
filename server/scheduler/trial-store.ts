// Trial persistence with leases. Every state write here is one guarded statement (trial-moves.ts: the move is
// checked against the state table, and the WHERE clause names the states it may come from, the holder and the
// attempt), so a finished trial is never changed and a running one is moved only by its holder or the server.
// When a move matches no row, the row as it is now says why (a duplicate report is acknowledged as one).
// The follow-ups of each move (trial cache, worker handle, dashboard) are trial-lifecycle.ts's.
import { and, desc, eq, getTableColumns, inArray, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { isFinished, TRIAL_STATE_NAMES, type TrialStateName } from "../../search/trial-state";
import type { Database } from "../db/client";
import { sweeps, trialArtifacts, trialEvaluations, trials } from "../db/schema";
import type { SweepStatus } from "../sweeps/types";
import { leaseUntil, recordEpochBatch, type EpochWrite, type ReportResult } from "./epoch-store";
import { rankedFairShareQueue, rankedIdleSweepsQueue, type ClaimingWorker } from "./fair-share-queue";
import { moveGuard, refusalOf, type TrialMove } from "./trial-moves";
import type { EpochMetrics, StoredModelArtifact, TestMetrics, TrialEvaluation } from "../training/types";

const FINISHED_STATES = TRIAL_STATE_NAMES.filter(isFinished);

export type TrialRow = typeof trials.$inferSelect;
export type { EpochWrite, ReportResult } from "./epoch-store";

/** Thrown to roll back a batch of proposals of which some were taken. */
const STALE_PROPOSALS = new Error("a proposed trial number is taken");

/** Why a trial that finished without storing an epoch (with a value of the sweep's metric) is failed. */
export const NO_EPOCH_TO_RANK = "finished without reporting an epoch with the sweep's metric: nothing to rank it by";

const ended = { leaseExpiresAt: null, finishedAt: sql`now()` };

/** How long claims skip the quick look for idle sweeps' trials after it found too few (it is only a shortcut). */
const IDLE_SWEEPS_RETRY_MS = 1000;

export class TrialStore {
  private idleSweepsScarceUntil = 0;

  constructor(
    private readonly db: Database,
    private readonly leaseMs: number,
    /** Runs a trial gets in all: a lost one is re-queued until then, then failed. */
    private readonly maxAttempts = 3,
    /** Where claims and lease renewals run: PostgreSQL's small pool of their own (db/client.ts), so they never
     *  wait for a connection behind dashboard reads; the one database otherwise. */
    private readonly leaseDb: Database = db,
  ) {}

  async insertWaiting(sweepId: string, number: number, params: TrialRow["params"], systemAttrs: TrialRow["systemAttrs"] = {}): Promise<TrialRow | null> {
    const [row] = (await this.insertAllWaiting(sweepId, [{ number, params, systemAttrs }])) ?? [];
    return row ?? null;
  }

  /** Inserts the proposals in one statement (one commit), ordered by number; null, inserting none, when any of the
   *  numbers is taken already (the unique (sweep_id, number) constraint): the proposer's view was stale.
   *  `whileStatus`: only while the sweep is in one of these (the status the planner read), else none, returning []:
   *  the sweep row is share-locked first, so a stop either waits for these rows (and then ends them) or has
   *  committed already (and none are inserted). */
  async insertAllWaiting(
    sweepId: string,
    proposals: readonly Pick<TrialRow, "number" | "params" | "systemAttrs">[],
    whileStatus?: readonly SweepStatus[],
  ): Promise<TrialRow[] | null> {
    if (proposals.length === 0) return [];
    const values = proposals.map(({ number, params, systemAttrs }) => ({ sweepId, number, params, systemAttrs }));
    return this.db
      .transaction(async (tx) => {
        // As for claims (below): losing these to a database crash loses nothing; a restarted planner proposes them again.
        await tx.execute(sql`set local synchronous_commit = off`);
        if (whileStatus) {
          const still = await tx
            .select({ id: sweeps.id })
            .from(sweeps)
            .where(and(eq(sweeps.id, sweepId), inArray(sweeps.status, [...whileStatus])))
            .for("share");
          if (still.length === 0) return [];
        }
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

  /** Hands waiting trials of running sweeps to these workers, one each in order (fewer when fewer are waiting):
   *  idle workers are served together rather than one claim after another. Across sweeps the share is fair by
   *  priority (fair-share-queue.ts); within a sweep, oldest first. Rows that other claimers hold are skipped.
   *  One statement per kind of worker (GPU first: they may take any trial; CPU workers then get trials of sweeps
   *  that do not need a GPU): the ranked, locked selection is a materialized CTE, so it is evaluated once (an
   *  `UPDATE … WHERE id IN (… SKIP LOCKED LIMIT n)` can be re-evaluated row by row and claim more than asked for),
   *  and the claim costs one round trip rather than a transaction's five. A claim lost in a database crash costs a
   *  re-run, never data (the holder's first report would be refused), so the lease connections commit it without
   *  waiting for its WAL flush (db/client.ts); the next synchronous commit (its first epoch) makes it durable. */
  async claimNextFor(workers: readonly ClaimingWorker[]): Promise<TrialRow[]> {
    const claimed: TrialRow[] = [];
    for (const onGpu of [true, false]) {
      let group = workers.filter((w) => Boolean(w.gpu) === onGpu);
      if (group.length > 0 && !onGpu && performance.now() >= this.idleSweepsScarceUntil) {
        // Trials of sweeps with nothing running rank first: when there are enough, the full ranking is not needed.
        const first = await this.claimFor(group, rankedIdleSweepsQueue(group.length));
        claimed.push(...first);
        const served = new Set(first.map((t) => t.workerId));
        group = group.filter((w) => !served.has(w.id));
        // Came up short: such trials are scarce now (one busy sweep, say), so the next claims rank in full at once.
        if (group.length > 0) this.idleSweepsScarceUntil = performance.now() + IDLE_SWEEPS_RETRY_MS;
      }
      if (group.length > 0) claimed.push(...(await this.claimFor(group, rankedFairShareQueue(group.length, onGpu))));
    }
    const order = new Map(workers.map((w, i) => [w.id, i]));
    return claimed.sort((a, b) => order.get(a.workerId!)! - order.get(b.workerId!)!);
  }

  /** Claims the trials `queue` ranks (rankedFairShareQueue or rankedIdleSweepsQueue) for `group`, rank i for the
   *  i-th worker. */
  private async claimFor(group: readonly ClaimingWorker[], queue: SQL): Promise<TrialRow[]> {
    const holders = JSON.stringify(group.map((w, i) => ({ rank: i + 1, worker_id: w.id, worker_name: w.name })));
    const claimed = this.leaseDb.$with("claimed", getTableColumns(trials)).as(sql`
      with ${queue}
      update ${trials} set state = 'running', worker_id = h.worker_id, worker_name = h.worker_name,
        lease_expires_at = ${leaseUntil(this.leaseMs)}, started_at = now()
      from ranked join jsonb_to_recordset(${holders}::jsonb) as h(rank int, worker_id text, worker_name text) on h.rank = ranked.rank
      where ${trials.id} = ranked.id and ${moveGuard({ to: "running", from: ["waiting"] })}
      returning ${trials}.*`);
    return this.leaseDb.with(claimed).select().from(claimed);
  }

  /** Stores one epoch exactly once, updates the trial's latest metrics and value, and extends the lease. */
  async recordEpoch(trialId: string, holder: string, attempt: number, epoch: number, metrics: EpochMetrics): Promise<ReportResult> {
    const [result] = await this.recordEpochs([{ trialId, holder, attempt, epoch, metrics }]);
    return result;
  }

  /** See epoch-store.ts. */
  recordEpochs(writes: readonly EpochWrite[]): Promise<ReportResult[]> {
    return recordEpochBatch(this.db, this.leaseMs, writes);
  }

  /** The holder's result: marks the trial complete and stores its model in one transaction. A re-sent completion
   *  is acknowledged. A trial without a value (stopped before its first epoch) has nothing to rank it by (and
   *  samplers refuse one), so the report is accepted and the trial fails, saying why. */
  async complete(
    trialId: string,
    holder: string,
    attempt: number,
    testMetrics: TestMetrics,
    artifact: StoredModelArtifact,
    stopReason?: string,
    evaluation?: TrialEvaluation,
  ): Promise<ReportResult> {
    const move: TrialMove = { to: "complete", from: ["running"], holder, attempt };
    return this.db.transaction(async (tx) => {
      const [done] = await tx
        .update(trials)
        .set({ state: "complete", stopReason: stopReason ?? null, metrics: sql`${trials.metrics} || ${JSON.stringify(testMetrics)}::jsonb`, ...ended })
        .where(and(eq(trials.id, trialId), moveGuard(move), isNotNull(trials.value)))
        .returning();
      if (done) {
        await storeModel(tx, trialId, artifact, evaluation);
        return { ok: true, trial: done, duplicate: false };
      }
      const trial = await rowOf(tx, trialId);
      if (!trial) return { ok: false, error: `unknown trial ${trialId}` };
      if (trial.state === "complete" && trial.workerId === holder && trial.attempt === attempt) return { ok: true, trial, duplicate: true };
      // Its sweep's stop ended the trial mid-run and asked the worker for the model trained so far: the model is
      // kept (so the stopped trial can be promoted); the trial stays stopped, ranked by its last epoch's value.
      // (Stopped before its first epoch, it has no value to go with a model: the report is acknowledged, not kept.)
      if (trial.state === "stopped" && trial.workerId === holder && trial.attempt === attempt) {
        if (trial.value === null || !(await storeModel(tx, trialId, artifact, evaluation))) return { ok: true, trial, duplicate: true };
        const [kept] = await tx
          .update(trials)
          .set({ metrics: sql`${trials.metrics} || ${JSON.stringify(testMetrics)}::jsonb` })
          .where(and(eq(trials.id, trialId), eq(trials.state, "stopped")))
          .returning();
        return { ok: true, trial: kept, duplicate: false };
      }
      const failed = trial.value === null ? await moveOne(tx, trialId, { ...move, to: "failed" }, { error: NO_EPOCH_TO_RANK, ...ended }) : null;
      return failed ? { ok: true, trial: failed, duplicate: false } : { ok: false, error: refusalOf(trial, move) };
    });
  }

  /** A worker's report that training raised (`holder` and `attempt` guard it), or the server's own decision
   *  (holder null). A re-sent report is acknowledged. */
  async fail(trialId: string, holder: string | null, error: string, attempt: number | null = null): Promise<ReportResult> {
    const move: TrialMove = holder === null ? { to: "failed", attempt } : { to: "failed", from: ["running"], holder, attempt };
    const failed = await moveOne(this.db, trialId, move, { error, ...ended });
    if (failed) return { ok: true, trial: failed, duplicate: false };
    const trial = await rowOf(this.db, trialId);
    if (!trial) return { ok: false, error: `unknown trial ${trialId}` };
    const same = trial.state === "failed" && trial.workerId === holder && (attempt === null || attempt === trial.attempt);
    return same ? { ok: true, trial, duplicate: true } : { ok: false, error: refusalOf(trial, move) };
  }

  /** The server's pruner decided: the trial ends now; the worker's later reports are refused. */
  async prune(trialId: string, reason: string): Promise<ReportResult> {
    const move: TrialMove = { to: "pruned", from: ["running"] };
    const pruned = await moveOne(this.db, trialId, move, { stopReason: reason, ...ended });
    if (pruned) return { ok: true, trial: pruned, duplicate: false };
    const trial = await rowOf(this.db, trialId);
    return { ok: false, error: trial ? refusalOf(trial, move) : `unknown trial ${trialId}` };
  }

  /** The holder lost this attempt to an infrastructure fault (its trainer was killed by a signal): the trial goes
   *  back to waiting as its next attempt, or fails once it has had all its attempts, as for a lost worker. */
  async retry(trialId: string, holder: string, attempt: number, reason: string): Promise<ReportResult> {
    const lost = `attempt ${attempt + 1} lost: ${reason}`;
    const move: TrialMove = { to: "waiting", from: ["running"], holder, attempt };
    return this.db.transaction(async (tx) => {
      const [requeued] = await tx
        .update(trials)
        .set(requeue(sql`${`${lost}; re-queued`}`))
        .where(and(eq(trials.id, trialId), moveGuard(move), lt(trials.attempt, this.maxAttempts - 1)))
        .returning();
      if (requeued) return { ok: true, trial: requeued, duplicate: false };
      const failed = await moveOne(tx, trialId, { ...move, to: "failed" }, { error: `${lost} (no attempts left)`, ...ended });
      if (failed) return { ok: true, trial: failed, duplicate: false };
      const trial = await rowOf(tx, trialId);
      return { ok: false, error: trial ? refusalOf(trial, move) : `unknown trial ${trialId}` };
    });
  }

  /** The sweep was stopped: its waiting and running trials end as "stopped" in one statement, keeping their last
   *  value and epochs. A trial that finished meanwhile is not among the rows and keeps its outcome. The rows keep
   *  their worker, so the caller can tell it to stop. */
  async stopUnfinished(sweepId: string, reason: string): Promise<TrialRow[]> {
    return this.db
      .update(trials)
      .set({ state: "stopped", stopReason: reason, ...ended })
      .where(and(eq(trials.sweepId, sweepId), moveGuard({ to: "stopped" })))
      .returning();
  }

  /** Running trials whose holder stopped renewing its lease (crashed worker, lost network) go back to waiting
   *  as their next attempt, or fail once they have had all their attempts. Late reports of the lost attempt are
   *  then refused, so nothing it sends is counted twice. */
  async expireLeases(): Promise<{ requeued: TrialRow[]; failed: TrialRow[] }> {
    const expired = lt(trials.leaseExpiresAt, sql`now()`);
    const lost = sql`'attempt ' || (${trials.attempt} + 1) || ' lost: worker ' || coalesce(${trials.workerName}, '?') || ' stopped responding'`;
    // One transaction, so both updates see the same now(): a lease that lapses between them would otherwise be
    // failed without the re-queue it was due.
    return this.db.transaction(async (tx) => {
      const requeued = await tx
        .update(trials)
        .set(requeue(sql`${lost} || '; re-queued'`))
        .where(and(moveGuard({ to: "waiting", from: ["running"] }), expired, lt(trials.attempt, this.maxAttempts - 1)))
        .returning();
      const failed = await tx
        .update(trials)
        .set({ state: "failed", error: sql`${lost} || ' (lease expired; no attempts left)'`, ...ended })
        .where(and(moveGuard({ to: "failed", from: ["running"] }), expired))
        .returning();
      return { requeued, failed };
    });
  }

  async extendLease(trialId: string, holder: string): Promise<boolean> {
    return (await this.extendLeases([{ trialId, holder }])).has(trialId);
  }

  /** Renews the leases of these running trials, each only while `holder` holds it, in one statement (on the lease
   *  connections); returns the ids whose lease was renewed. */
  async extendLeases(renewals: readonly { trialId: string; holder: string }[]): Promise<Set<string>> {
    if (renewals.length === 0) return new Set();
    const v = sql`jsonb_to_recordset(${JSON.stringify(renewals.map((r) => ({ id: r.trialId, holder: r.holder })))}::jsonb) as v(id uuid, holder text)`;
    const rows = await this.leaseDb
      .update(trials)
      .set({ leaseExpiresAt: leaseUntil(this.leaseMs) })
      .from(v)
      .where(sql`${trials.id} = v.id and ${trials.workerId} = v.holder and ${trials.state} = 'running'`)
      .returning({ id: trials.id });
    return new Set(rows.map((r) => r.id));
  }

  async countsBySweep(sweepId: string): Promise<Record<TrialStateName, number>> {
    const rows = await this.db
      .select({ state: trials.state, n: sql<number>`count(*)::int` })
      .from(trials)
      .where(eq(trials.sweepId, sweepId))
      .groupBy(trials.state);
    const counts = Object.fromEntries(TRIAL_STATE_NAMES.map((state) => [state, 0])) as Record<TrialStateName, number>;
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
      .where(and(eq(trials.sweepId, sweepId), inArray(trials.state, FINISHED_STATES)))
      .orderBy(desc(trials.finishedAt), desc(trials.number))
      .limit(limit);
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

/** A re-queue's changes: the next attempt starts afresh (its epochs are the new attempt's only). */
function requeue(stopReason: ReturnType<typeof sql>) {
  return {
    state: "waiting" as const,
    attempt: sql`${trials.attempt} + 1`,
    stopReason,
    workerId: null,
    workerName: null,
    leaseExpiresAt: null,
    startedAt: null,
    metrics: {},
    value: null,
    epochs: 0,
  };
}

/** Stores a trial's model (and evaluation) once; false when it had one already (a re-sent report). */
async function storeModel(tx: Database, trialId: string, artifact: StoredModelArtifact, evaluation?: TrialEvaluation): Promise<boolean> {
  const { modelJson, weights, metadata } = artifact;
  const [stored] = await tx
    .insert(trialArtifacts)
    .values({ trialId, modelJson, weightsSha256: weights.sha256, weightsBytes: weights.bytes, metadata })
    .onConflictDoNothing()
    .returning({ trialId: trialArtifacts.trialId });
  if (stored && evaluation) await tx.insert(trialEvaluations).values({ trialId, evaluation }).onConflictDoNothing();
  return Boolean(stored);
}

/** One trial's move as one guarded statement; the row as moved, or null when the guard matched nothing. */
async function moveOne(db: Database, trialId: string, move: TrialMove, set: PgUpdateSetSource<typeof trials>): Promise<TrialRow | null> {
  const [row] = await db
    .update(trials)
    .set({ ...set, state: move.to })
    .where(and(eq(trials.id, trialId), moveGuard(move)))
    .returning();
  return row ?? null;
}

async function rowOf(db: Database, trialId: string): Promise<TrialRow | null> {
  const [row] = await db.select().from(trials).where(eq(trials.id, trialId));
  return row ?? null;
}
