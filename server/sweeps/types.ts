// The shapes the REST API and the Socket.IO events expose (the public contract; see README).
import type { Params } from "../../search/parameters";
import type { SweepDocument } from "./sweep-document";

export const SWEEP_STATUSES = ["queued", "running", "paused", "stopped", "failed", "finished"] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

export const TRIAL_STATES = ["waiting", "running", "complete", "pruned", "failed"] as const;
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
  /** 0 for the first run; counts re-queues after a lost worker. `history` holds the current attempt's epochs. */
  attempt: number;
  error: string | null;
  /** Why the trial ended early: the pruner's reason (state "pruned") or early stopping's. */
  stopReason: string | null;
  workerName: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  modelId: string | null;
}

export interface SweepDetail {
  sweep: SweepSummary;
  trials: (TrialSummary & { history: EpochRecord[] })[];
}

/** GET /api/sweeps/:id/changes: what changed since `since`; pass `cursor` as the next `since`. A row may come twice
 *  (see sweep-changes.ts), so clients merge by id and epoch number. `sweep` is null when nothing changed. */
export interface SweepChanges {
  cursor: string;
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
