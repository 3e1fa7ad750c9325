// Sweep persistence and the read models the API and the dashboard show.
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { moveSweep } from "../scheduler/sweep-status";
import { models, sweeps, trials } from "../db/schema";
import { RESULT_STATES } from "./read-queries";
import type { SweepDocument } from "./sweep-document";
import { TRIAL_STATES, type SweepStatus, type SweepSummary, type TrialState, type TrialSummary } from "./types";

export type SweepRow = typeof sweeps.$inferSelect;
export type TrialRow = typeof trials.$inferSelect;

export class SweepStore {
  constructor(private readonly db: Database) {}

  async create(document: SweepDocument): Promise<SweepRow> {
    const [row] = await this.db.insert(sweeps).values({ name: document.name, document }).returning();
    return row;
  }

  async get(id: string): Promise<SweepRow | null> {
    const [row] = await this.db.select().from(sweeps).where(eq(sweeps.id, id));
    return row ?? null;
  }

  /** Sweeps the scheduler must look after. */
  async active(): Promise<SweepRow[]> {
    return this.db.select().from(sweeps).where(inArray(sweeps.status, ["queued", "running"])).orderBy(asc(sweeps.createdAt));
  }

  /** Moves the sweep to `to` only from one of `from` (atomically, checked against the sweep status table in
   *  scheduler/sweep-status.ts); null when it was in another status. */
  async transition(id: string, from: readonly SweepStatus[], to: SweepStatus, error: string | null = null): Promise<SweepRow | null> {
    return moveSweep(this.db, id, to, { from, error });
  }

  /** Replaces the document's budget while the sweep is in one of `statuses` (atomically); null otherwise. */
  async updateBudget(id: string, budget: SweepDocument["budget"], statuses: readonly SweepStatus[]): Promise<SweepRow | null> {
    const [row] = await this.db
      .update(sweeps)
      .set({ document: sql`jsonb_set(${sweeps.document}, '{budget}', ${JSON.stringify(budget)}::jsonb)` })
      .where(and(eq(sweeps.id, id), inArray(sweeps.status, [...statuses])))
      .returning();
    return row ?? null;
  }

  /** Moves the sweep to `status` from whichever status the table allows before it; null when it is in none. */
  async setStatus(id: string, status: SweepStatus, error: string | null = null): Promise<SweepRow | null> {
    return moveSweep(this.db, id, status, { error });
  }

  /** Every sweep, newest first, with its counts and best value aggregated by the database (one grouped query). */
  async list(): Promise<SweepSummary[]> {
    const rows = await this.summaryQuery().orderBy(desc(sweeps.createdAt));
    return rows.map(toSweepSummary);
  }

  /** One aggregate query: cheap enough for the publisher to call on every sweep change. */
  async summary(id: string): Promise<SweepSummary | null> {
    const [row] = await this.summaryQuery().where(eq(sweeps.id, id));
    return row ? toSweepSummary(row) : null;
  }

  /** Sweep rows left-joined to their trials, grouped by sweep: a count per state (from TRIAL_STATES) and the best
   *  value over result states by the sweep's goal. */
  private summaryQuery() {
    const counts = Object.fromEntries(
      TRIAL_STATES.map((state) => [`count_${state}`, sql<number>`(count(${trials.id}) filter (where ${trials.state} = ${state}))::int`]),
    ) as Record<`count_${TrialState}`, SQL<number>>;
    const results = inArray(trials.state, [...RESULT_STATES]);
    return this.db
      .select({
        sweep: sweeps,
        ...counts,
        best: sql<number | null>`case when ${sweeps.document}->'metric'->>'goal' = 'minimize'
          then min(${trials.value}) filter (where ${results}) else max(${trials.value}) filter (where ${results}) end`,
      })
      .from(sweeps)
      .leftJoin(trials, eq(trials.sweepId, sweeps.id))
      .groupBy(sweeps.id)
      .$dynamic();
  }

  async trialSummary(trialId: string): Promise<TrialSummary | null> {
    const [row] = await this.db.select().from(trials).where(eq(trials.id, trialId));
    if (!row) return null;
    const [model] = await this.db.select({ id: models.id }).from(models).where(eq(models.trialId, trialId));
    return toTrialSummary(row, model?.id ?? null);
  }
}

type SummaryRow = { sweep: SweepRow; best: number | null } & Record<`count_${TrialState}`, number>;

function toSweepSummary({ sweep: row, best, ...counts }: SummaryRow): SweepSummary {
  const trialCounts = Object.fromEntries(TRIAL_STATES.map((state) => [state, Number(counts[`count_${state}`] ?? 0)])) as Record<TrialState, number>;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    method: row.document.method,
    metric: row.document.metric,
    document: row.document,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
    trialCounts,
    bestValue: best === null ? null : Number(best),
  };
}

export function toTrialSummary(row: TrialRow, modelId: string | null): TrialSummary {
  return {
    id: row.id,
    sweepId: row.sweepId,
    number: row.number,
    state: row.state,
    params: row.params,
    metrics: row.metrics,
    value: row.value,
    epochs: row.epochs,
    attempt: row.attempt,
    error: row.error,
    stopReason: row.stopReason,
    workerName: row.workerName,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    modelId,
  };
}
