// The shapes the REST API and the Socket.IO events expose (the public contract; see README).
import type { Params } from "../../search/parameters";
import type { SweepDocument } from "./sweep-document";

export const SWEEP_STATUSES = ["queued", "running", "paused", "stopped", "failed", "finished"] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

export const TRIAL_STATES = ["waiting", "running", "complete", "pruned", "failed", "stopped"] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

export interface SweepSummary {
  id: string;
  name: string;
  status: SweepStatus;
  method: string;
  metric: { name: string; goal: "maximize" | "minimize" };
  document: SweepDocument;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  trialCounts: Record<TrialState, number>;
  bestValue: number | null;
}

export interface EpochRecord {
  epoch: number;
  metrics: Record<string, number>;
}

export interface TrialSummary {
  id: string;
  sweepId: string;
  number: number;
  state: TrialState;
  params: Params;
  /** Latest value of every metric reported so far (per-epoch metrics, then test metrics at the end). */
  metrics: Record<string, number>;
  /** The sweep metric at the trial's latest epoch (what its final model scored); null before the first epoch. */
  value: number | null;
  epochs: number;
  /** 0 for the first run; counts re-queues after a lost worker. Curves and the change feed carry only the current
   *  attempt's epochs. */
  attempt: number;
  error: string | null;
  /** Why the trial ended early: the pruner's reason (state "pruned") or early stopping's. */
  stopReason: string | null;
  workerName: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  modelId: string | null;
}

/** GET /api/sweeps/:id/trials and the snapshot's first page: the leaderboard, sorted, filtered and paginated by the
 *  database. `sort` is "rank" (ranked trials best first, then the rest by number), a column ("number", "state",
 *  "epochs", "value", "started", "finished"), "metric:<name>" or "param:<name>". */
export interface LeaderboardPage {
  sort: string;
  order: "asc" | "desc";
  /** The state filter applied, or null for all states. */
  states: TrialState[] | null;
  offset: number;
  limit: number;
  /** Trials matching the filter (the virtual table's height). */
  total: number;
  rows: LeaderboardRow[];
}

export interface LeaderboardRow extends TrialSummary {
  /** 1-based place by the sweep metric among trials that rank (complete, stopped and running with a value); else null. */
  rank: number | null;
}

/** One trial's learning curve of the sweep metric, downsampled on the server (LTTB) to at most `maxPoints`. */
export interface CurveSeries {
  trialId: string;
  number: number;
  state: TrialState;
  /** Epochs the trial has reported (its current attempt), before downsampling. */
  epochs: number;
  /** [epoch, value] pairs, epoch ascending; the first and last epoch are always kept. */
  points: [number, number][];
}

/** "All trials" as a band rather than thousands of lines: per epoch, the spread of the sweep metric over every
 *  trial's current attempt that reached it (beyond 1,000 trials with epochs, over an even sample of 1,000 of them by
 *  number, which `trials` then counts; see server/sweeps/sweep-curves.ts). */
export interface CurveEnvelopePoint {
  epoch: number;
  trials: number;
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
}

/** GET /api/sweeps/:id/curves?trials=…&top=…: the top-N trials by the sweep metric plus the requested ones. */
export interface SweepCurves {
  metric: string;
  goal: "maximize" | "minimize";
  top: number;
  maxPoints: number;
  series: CurveSeries[];
  /** Downsampled to at most maxPoints epochs. */
  envelope: CurveEnvelopePoint[];
}

/** GET /api/sweeps/:id: what the page paints first, bounded whatever the sweep's size. `cursor` is a change-feed
 *  cursor taken before anything else was read: a page that reconnects asks /changes?since=cursor for what it missed. */
export interface SweepSnapshot {
  sweep: SweepSummary;
  cursor: string;
  leaderboard: LeaderboardPage;
  curves: SweepCurves;
}

/** GET /api/sweeps/:id/changes: what changed since `since`; pass `cursor` as the next `since`. A row may come twice
 *  (see sweep-changes.ts), so clients merge by id and epoch number. `sweep` is null when nothing changed. */
export interface SweepChanges {
  cursor: string;
  /** True when more changed than one response may carry (limits in sweep-changes.ts): nothing else is sent, and the
   *  client loads a fresh snapshot instead. */
  reset: boolean;
  sweep: SweepSummary | null;
  trials: TrialSummary[];
  /** Epochs of each trial's current attempt, in the shape of the "trial:epochs" event. */
  epochs: { trialId: string; record: EpochRecord }[];
}

/** A connected worker agent (local pool or remote box). */
export interface WorkerSummary {
  id: string;
  name: string;
  backend: string;
  /** GPU or CPU model the worker trains on, its memory (bytes) and cores, as the worker advertised them. */
  device: string;
  memoryBytes: number | null;
  cores: number | null;
  connectedAt: string;
  /** The trial it is training, or null when idle. */
  busyWith: string | null;
}

export interface ModelSummary {
  id: string;
  sweepId: string;
  trialId: string;
  name: string;
  version: number;
  createdAt: string;
  metrics: Record<string, number>;
}
