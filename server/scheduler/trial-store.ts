// Trial persistence with leases. Every state change goes through `transition`, which refuses moves the
// state machine forbids (finished trials are immutable) and, for running trials, moves by anyone but the holder.
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { statesAllowedBefore, type TrialStateName } from "../../search/trial-state";
import type { Database } from "../db/client";
import { sweeps, trialArtifacts, trialEpochs, trialEvaluations, trials } from "../db/schema";
import type { EpochMetrics, ModelArtifact, TestMetrics, TrialEvaluation } from "../training/types";

export type TrialRow = typeof trials.$inferSelect;
export type ReportResult = { ok: true; trial: TrialRow; duplicate: boolean } | { ok: false; error: string };

const leaseUntil = (leaseMs: number) => sql`now() + ${leaseMs} * interval '1 millisecond'`;

export class TrialStore {
  constructor(
    private readonly db: Database,
    private readonly leaseMs: number,
    /** Runs a trial gets in all: a lost one is re-queued until then, then failed. */
    private readonly maxAttempts = 3,
  ) {}

  async insertWaiting(sweepId: string, number: number, params: TrialRow["params"], systemAttrs: TrialRow["systemAttrs"] = {}): Promise<TrialRow | null> {
    // The unique (sweep_id, number) constraint makes a second insert of the same trial a no-op.
    const [row] = await this.db.insert(trials).values({ sweepId, number, params, systemAttrs }).onConflictDoNothing().returning();
    return row ?? null;
  }

  /** Atomically hands the oldest waiting trial of a running sweep to a worker (skips rows others are claiming).
   *  Select-then-update in one transaction: a `WHERE id IN (… SKIP LOCKED LIMIT 1)` update can be re-evaluated
   *  row by row by PostgreSQL and claim several trials at once. */
  async claimNext(workerId: string, workerName: string): Promise<TrialRow | null> {
    return this.db.transaction(async (tx) => {
      const [next] = await tx
        .select({ id: trials.id })
        .from(trials)
        .innerJoin(sweeps, eq(sweeps.id, trials.sweepId))
        .where(and(eq(trials.state, "waiting"), eq(sweeps.status, "running")))
        .orderBy(asc(trials.createdAt), asc(trials.number))
        .limit(1)
        .for("update", { of: trials, skipLocked: true });
      if (!next) return null;
      const [row] = await tx
        .update(trials)
        .set({ state: "running", workerId, workerName, leaseExpiresAt: leaseUntil(this.leaseMs), startedAt: sql`now()` })
        .where(and(eq(trials.id, next.id), eq(trials.state, "waiting")))
        .returning();
      return row ?? null;
    });
  }

  /** Stores one epoch exactly once, updates the trial's latest metrics and value, and extends the lease. */
  async recordEpoch(trialId: string, holder: string, attempt: number, epoch: number, metrics: EpochMetrics, metricName: string): Promise<ReportResult> {
    return this.db.transaction(async (tx) => {
      const [trial] = await tx.select().from(trials).where(eq(trials.id, trialId)).for("update");
      if (!trial) return { ok: false, error: `unknown trial ${trialId}` };
      if (attempt !== trial.attempt) return { ok: false, error: staleAttempt(trial, attempt) };
      const [existing] = await tx
        .select({ epoch: trialEpochs.epoch })
        .from(trialEpochs)
        .where(and(eq(trialEpochs.trialId, trialId), eq(trialEpochs.attempt, attempt), eq(trialEpochs.epoch, epoch)));
      if (existing && trial.workerId === holder) return { ok: true, trial, duplicate: true };
      const refused = refusal(trial, holder, "running");
      if (refused) return { ok: false, error: refused };
      const values = { ...metrics } as Record<string, number>;
      await tx.insert(trialEpochs).values({ trialId, attempt, epoch, metrics: values });
      const latest = epoch >= trial.epochs;
      const [updated] = await tx
        .update(trials)
        .set({
          metrics: latest ? { ...trial.metrics, ...values } : trial.metrics,
          epochs: Math.max(trial.epochs, epoch),
          value: latest && Number.isFinite(values[metricName]) ? values[metricName] : trial.value,
          leaseExpiresAt: leaseUntil(this.leaseMs),
        })
        .where(eq(trials.id, trialId))
        .returning();
      return { ok: true, trial: updated, duplicate: false };
    });
  }

  /** Marks the trial complete and stores its model in one transaction. A re-sent completion is acknowledged. */
  async complete(
    trialId: string,
    holder: string,
    attempt: number,
    testMetrics: TestMetrics,
    artifact: ModelArtifact,
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
      await tx.insert(trialArtifacts).values({
        trialId,
        modelJson: artifact.modelJson,
        weights: artifact.weights,
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
      const [updated] = await tx
        .update(trials)
        .set({ state: "failed", error, leaseExpiresAt: null, finishedAt: sql`now()` })
        .where(eq(trials.id, trialId))
        .returning();
      return { ok: true, trial: updated, duplicate: false };
    });
  }

  /** The server's pruner decided: the trial ends now; the worker's later reports are refused. */
  async prune(trialId: string, reason: string): Promise<ReportResult> {
    return this.db.transaction(async (tx) => {
      const [trial] = await tx.select().from(trials).where(eq(trials.id, trialId)).for("update");
      if (!trial) return { ok: false, error: `unknown trial ${trialId}` };
      const refused = stateRefusal(trial, "pruned");
      if (refused) return { ok: false, error: refused };
      const [updated] = await tx
        .update(trials)
        .set({ state: "pruned", stopReason: reason, leaseExpiresAt: null, finishedAt: sql`now()` })
        .where(eq(trials.id, trialId))
        .returning();
      return { ok: true, trial: updated, duplicate: false };
    });
  }

  /** Running trials whose holder stopped renewing its lease (crashed worker, lost network) go back to waiting
   *  as their next attempt, or fail once they have had all their attempts. Late reports of the lost attempt are
   *  then refused, so nothing it sends is counted twice. */
  async expireLeases(): Promise<{ requeued: TrialRow[]; failed: TrialRow[] }> {
    const expired = and(eq(trials.state, "running"), lt(trials.leaseExpiresAt, sql`now()`));
    const lost = sql`'attempt ' || (${trials.attempt} + 1) || ' lost: worker ' || coalesce(${trials.workerName}, '?') || ' stopped responding'`;
    const requeued = await this.db
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
    const failed = await this.db
      .update(trials)
      .set({ state: "failed", error: sql`${lost} || ' (lease expired; no attempts left)'`, leaseExpiresAt: null, finishedAt: sql`now()` })
      .where(expired)
      .returning();
    return { requeued, failed };
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
