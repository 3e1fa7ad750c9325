// Reading a whole sweep in tests, now that the API serves it in bounded pieces: page through the leaderboard, and
// read a trial's epochs (its current attempt) from the database or from the curves route. For small sweeps only.
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../server/db/client";
import { trialEpochs, trials } from "../../server/db/schema";
import type { Services } from "../../server/services";
import type { EpochRecord, LeaderboardPage, LeaderboardRow, SweepCurves, SweepSnapshot, SweepSummary } from "../../server/sweeps/types";

/** The sweep reads, in process (`services`) or over HTTP (`httpReads`). */
export type SweepReader = { sweeps: Pick<Services["sweeps"], "get" | "trials" | "curves"> };

/** Every trial of the sweep, by number (pages of 500). */
export async function sweepTrials(reader: SweepReader, id: string): Promise<LeaderboardRow[]> {
  const rows: LeaderboardRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await reader.sweeps.trials(id, { sort: "number", limit: "500", offset: String(offset) });
    rows.push(...page.rows);
    if (rows.length >= page.total || page.rows.length === 0) return rows;
  }
}

/** The sweep's summary and every trial (what GET /api/sweeps/:id returned whole before it was bounded). */
export async function sweepState(reader: SweepReader, id: string): Promise<{ sweep: SweepSummary; trials: LeaderboardRow[] }> {
  // The snapshot's first page and summary come from one call, so a small sweep is read as quickly as it was whole.
  const { sweep, leaderboard } = await reader.sweeps.get(id, { sort: "number", limit: "500" });
  return { sweep, trials: leaderboard.total > leaderboard.rows.length ? await sweepTrials(reader, id) : leaderboard.rows };
}

/** The epochs of the trial's current attempt that reported the sweep metric, from the curves route. */
export async function trialEpochNumbers(reader: SweepReader, sweepId: string, trialId: string): Promise<number[]> {
  const curves = await reader.sweeps.curves(sweepId, { top: "0", trials: trialId, points: "2000" });
  return curves.series.find((s) => s.trialId === trialId)?.points.map(([epoch]) => epoch) ?? [];
}

/** How many epochs of its current attempt each trial reported (every report carries the sweep metric), from the
 *  curves route in requests of 50 trials. */
export async function epochCounts(reader: SweepReader, sweepId: string, trialIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < trialIds.length; i += 50) {
    const curves = await reader.sweeps.curves(sweepId, { top: "0", trials: trialIds.slice(i, i + 50).join(","), points: "2000" });
    for (const series of curves.series) counts.set(series.trialId, series.points.length);
  }
  return counts;
}

/** The trial's current attempt, epoch by epoch, from the database. */
export async function trialHistory(db: Database, trialId: string): Promise<EpochRecord[]> {
  const rows = await db
    .select({ epoch: trialEpochs.epoch, metrics: trialEpochs.metrics })
    .from(trialEpochs)
    .innerJoin(trials, and(eq(trials.id, trialEpochs.trialId), eq(trials.attempt, trialEpochs.attempt)))
    .where(eq(trialEpochs.trialId, trialId))
    .orderBy(asc(trialEpochs.epoch));
  return rows.map((r) => ({ epoch: r.epoch, metrics: r.metrics }));
}

/** The reads over HTTP, for tests of a server in another process. Non-2xx answers throw with their body. */
export function httpReads(fetchPath: (path: string) => Promise<Response>): SweepReader {
  const read = async <T>(path: string, query: unknown): Promise<T> => {
    const search = new URLSearchParams(Object.entries((query ?? {}) as Record<string, string>)).toString();
    const response = await fetchPath(search ? `${path}?${search}` : path);
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    sweeps: {
      get: (id, query) => read<SweepSnapshot>(`/api/sweeps/${id}`, query),
      trials: (id, query) => read<LeaderboardPage>(`/api/sweeps/${id}/trials`, query),
      curves: (id, query) => read<SweepCurves>(`/api/sweeps/${id}/curves`, query),
    },
  };
}
