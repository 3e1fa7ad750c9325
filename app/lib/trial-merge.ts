// Monotonic merges of one trial's row. Events, pages and snapshots can arrive out of order (a page read before an
// event was emitted, a summary read before its latest epoch was stored), so: a finished trial never changes state
// again, a trial's epoch count never goes down within an attempt, and an older attempt never replaces a newer one.
import type { EpochRecord, LeaderboardRow, TrialSummary } from "../../server/sweeps/types";
import { isFinishedState } from "./trial-states";

export type TrialRow = LeaderboardRow;

/** `incoming` is a page row (with its rank) or a pushed summary (no rank: the row keeps the one it had). */
export function mergeTrialRow(existing: TrialRow | undefined, incoming: TrialSummary & { rank?: number | null }): TrialRow {
  const rank = incoming.rank !== undefined ? incoming.rank : (existing?.rank ?? null);
  if (!existing) return { ...incoming, rank };
  const modelId = incoming.modelId ?? existing.modelId;
  // Read before a re-queue, or before the trial finished: what the page has is newer.
  if (incoming.attempt < existing.attempt || (isFinishedState(existing.state) && incoming.state !== existing.state)) {
    return { ...existing, rank, modelId };
  }
  if (incoming.attempt > existing.attempt || incoming.epochs >= existing.epochs) return { ...incoming, rank, modelId };
  // Same attempt, fewer epochs: a summary read before the latest epoch. Keep the epoch-driven fields.
  return {
    ...incoming,
    rank,
    modelId,
    epochs: existing.epochs,
    value: existing.value,
    metrics: { ...incoming.metrics, ...existing.metrics },
  };
}

/** As the server does: the latest epoch becomes the trial's value. An older or re-sent older epoch changes nothing
 *  (the same object comes back, so callers can tell). */
export function applyEpochToRow(row: TrialRow, record: EpochRecord, metric: string): TrialRow {
  if (record.epoch < row.epochs) return row;
  const value = record.metrics[metric];
  return {
    ...row,
    epochs: record.epoch,
    metrics: { ...row.metrics, ...record.metrics },
    value: Number.isFinite(value) ? value : row.value,
  };
}
