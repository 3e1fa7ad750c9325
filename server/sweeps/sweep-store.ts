// Sweep persistence and the read models the API and the dashboard show.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { models, sweeps, trialEpochs, trials } from "../db/schema";
import type { SweepDocument } from "./sweep-document";
import type { EpochRecord, SweepDetail, SweepStatus, SweepSummary, TrialState, TrialSummary } from "./types";

export type SweepRow = typeof sweeps.$inferSelect;
type TrialRow = typeof trials.$inferSelect;

const emptyCounts = (): Record<TrialState, number> => ({ waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 });

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

  /** Moves the sweep to `to` only from one of `from` (atomically); null when it was in another status. */
  async transition(id: string, from: readonly SweepStatus[], to: SweepStatus): Promise<SweepRow | null> {
    const finished = to === "finished" || to === "failed" || to === "stopped";
    const [row] = await this.db
      .update(sweeps)
      .set({ status: to, ...(finished ? { finishedAt: sql`now()` } : {}) })
      .where(and(eq(sweeps.id, id), inArray(sweeps.status, [...from])))
      .returning();
    return row ?? null;
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

  async setStatus(id: string, status: SweepStatus, error: string | null = null): Promise<void> {
    const finished = status === "finished" || status === "failed" || status === "stopped";
    await this.db
      .update(sweeps)
      .set({ status, error, ...(finished ? { finishedAt: sql`now()` } : {}) })
      .where(eq(sweeps.id, id));
  }

  async list(): Promise<SweepSummary[]> {
    const rows = await this.db.select().from(sweeps).orderBy(desc(sweeps.createdAt));
    if (rows.length === 0) return [];
    const trialRows = await this.db
      .select({ sweepId: trials.sweepId, state: trials.state, value: trials.value })
      .from(trials)
      .where(inArray(trials.sweepId, rows.map((r) => r.id)));
    return rows.map((row) => toSweepSummary(row, trialRows.filter((t) => t.sweepId === row.id)));
  }

  async summary(id: string): Promise<SweepSummary | null> {
    const row = await this.get(id);
    if (!row) return null;
    const trialRows = await this.db.select({ state: trials.state, value: trials.value }).from(trials).where(eq(trials.sweepId, id));
    return toSweepSummary(row, trialRows);
  }

  async detail(id: string): Promise<SweepDetail | null> {
    const row = await this.get(id);
    if (!row) return null;
    const trialRows = await this.db.select().from(trials).where(eq(trials.sweepId, id)).orderBy(asc(trials.number));
    const ids = trialRows.map((t) => t.id);
    const epochRows = ids.length
      ? await this.db.select().from(trialEpochs).where(inArray(trialEpochs.trialId, ids)).orderBy(asc(trialEpochs.epoch))
      : [];
    const modelRows = ids.length
      ? await this.db.select({ id: models.id, trialId: models.trialId }).from(models).where(inArray(models.trialId, ids))
      : [];
    const modelOf = new Map(modelRows.map((m) => [m.trialId, m.id]));
    return {
      sweep: toSweepSummary(row, trialRows),
      trials: trialRows.map((t) => ({
        ...toTrialSummary(t, modelOf.get(t.id) ?? null),
        history: epochRows
          .filter((e) => e.trialId === t.id && e.attempt === t.attempt)
          .map((e): EpochRecord => ({ epoch: e.epoch, metrics: e.metrics })),
      })),
    };
  }

  async trialSummary(trialId: string): Promise<TrialSummary | null> {
    const [row] = await this.db.select().from(trials).where(eq(trials.id, trialId));
    if (!row) return null;
    const [model] = await this.db.select({ id: models.id }).from(models).where(eq(models.trialId, trialId));
    return toTrialSummary(row, model?.id ?? null);
  }
}

function toSweepSummary(row: SweepRow, trialRows: Pick<TrialRow, "state" | "value">[]): SweepSummary {
  const counts = emptyCounts();
  for (const t of trialRows) counts[t.state] += 1;
  const goal = row.document.metric.goal;
  const values = trialRows.filter((t) => t.state === "complete" && t.value !== null).map((t) => t.value as number);
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
    trialCounts: counts,
    bestValue: values.length ? (goal === "maximize" ? Math.max(...values) : Math.min(...values)) : null,
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
