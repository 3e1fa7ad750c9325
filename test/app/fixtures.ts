// Small builders of the sweep page's wire shapes (summaries, leaderboard pages, curves, snapshots) for the app's
// pure-logic tests.
import { TRIAL_STATES, type EpochRecord, type LeaderboardPage, type LeaderboardRow, type SweepCurves, type SweepSnapshot, type SweepSummary, type TrialSummary } from "../../server/sweeps/types";
import { DEFAULT_QUERY, type LeaderboardQuery } from "../../app/lib/leaderboard-cache";
import { EXAMPLE_SWEEP } from "../support/sweeps";

export const SWEEP_ID = "5f0c1d2e-0000-4000-8000-000000000001";

export function trialCounts(counts: Partial<SweepSummary["trialCounts"]> = {}): SweepSummary["trialCounts"] {
  return { ...(Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as SweepSummary["trialCounts"]), ...counts };
}

export function sweepSummary(overrides: Partial<SweepSummary> = {}): SweepSummary {
  return {
    id: SWEEP_ID,
    name: "fmnist-quick",
    status: "running",
    method: "random",
    metric: { name: "val_accuracy", goal: "maximize" },
    document: EXAMPLE_SWEEP as unknown as SweepSummary["document"],
    createdAt: "2025-01-01T00:00:00.000Z",
    finishedAt: null,
    error: null,
    trialCounts: trialCounts(),
    bestValue: null,
    ...overrides,
  };
}

export function trialSummary(number: number, overrides: Partial<TrialSummary> = {}): TrialSummary {
  return {
    id: `trial-${number}`,
    sweepId: SWEEP_ID,
    number,
    state: "waiting",
    params: { learning_rate: 0.001, filters: 32 },
    metrics: {},
    value: null,
    epochs: 0,
    attempt: 0,
    error: null,
    stopReason: null,
    workerName: null,
    startedAt: null,
    finishedAt: null,
    modelId: null,
    ...overrides,
  };
}

export function row(number: number, overrides: Partial<LeaderboardRow> = {}): LeaderboardRow {
  return { ...trialSummary(number, overrides), rank: overrides.rank ?? null };
}

export function epoch(n: number, valAccuracy: number, extra: Record<string, number> = {}): EpochRecord {
  return { epoch: n, metrics: { val_accuracy: valAccuracy, val_loss: 1 - valAccuracy, ...extra } };
}

export function page(rows: LeaderboardRow[], options: Partial<Omit<LeaderboardPage, "rows">> & { query?: LeaderboardQuery } = {}): LeaderboardPage {
  const query = options.query ?? DEFAULT_QUERY;
  return {
    sort: query.sort,
    order: query.order,
    states: query.states,
    offset: options.offset ?? 0,
    limit: options.limit ?? 100,
    total: options.total ?? rows.length,
    rows,
  };
}

export function curves(series: { number: number; points: [number, number][]; state?: TrialSummary["state"] }[] = [], overrides: Partial<SweepCurves> = {}): SweepCurves {
  return {
    metric: "val_accuracy",
    goal: "maximize",
    top: 10,
    maxPoints: 500,
    series: series.map((s) => ({ trialId: `trial-${s.number}`, number: s.number, state: s.state ?? "running", epochs: s.points.length ? s.points[s.points.length - 1][0] : 0, points: s.points })),
    envelope: [],
    ...overrides,
  };
}

export function snapshot(rows: LeaderboardRow[] = [], overrides: { sweep?: Partial<SweepSummary>; cursor?: string; curves?: SweepCurves; total?: number; query?: LeaderboardQuery } = {}): SweepSnapshot {
  return {
    sweep: sweepSummary(overrides.sweep),
    cursor: overrides.cursor ?? "100",
    leaderboard: page(rows, { total: overrides.total, query: overrides.query }),
    curves: overrides.curves ?? curves(),
  };
}
