// Socket.IO event maps, typed once and shared by the server, the worker agent and the browser.
import type { EpochRecord, SweepSummary, TrialSummary } from "../sweeps/types";
import type { EpochMetrics, ModelArtifact, TestMetrics, TrainJob, TrialEvaluation } from "../training/types";

/** Namespace "/": browsers watching sweeps. */
export interface DashboardServerEvents {
  "sweep:updated": (payload: { sweep: SweepSummary }) => void;
  "trial:updated": (payload: { sweepId: string; trial: TrialSummary }) => void;
  /** Epochs just stored, in the order they were stored: one event per group commit (see epoch-ingest.ts), not one
   *  per epoch, so a busy sweep costs its watchers a few messages per second rather than thousands. */
  "trial:epochs": (payload: { sweepId: string; epochs: { trialId: string; record: EpochRecord }[] }) => void;
}

export type SubscribeAck = { ok: true } | { ok: false; error: string };

export interface DashboardClientEvents {
  "sweep:subscribe": (payload: { sweepId: string }, ack?: (result: SubscribeAck) => void) => void;
  "sweep:unsubscribe": (payload: { sweepId: string }) => void;
}

export const DASHBOARD_NAMESPACE = "/";
export const WORKER_NAMESPACE = "/workers";
export const sweepRoom = (sweepId: string) => `sweep:${sweepId}`;

/** Sent in the Socket.IO handshake (`auth`) by every worker, local or remote. */
export interface WorkerHello {
  token: string;
  /** Stable for the life of the agent, so a reconnect is recognised as the same worker. */
  id: string;
  name: string;
  backend: string;
  /** What the engine runs on (GPU or CPU model), and its memory and the machine's cores, for placement and display. */
  device?: string;
  memoryBytes?: number;
  cores?: number;
  /** The trial the agent is still training when it (re)connects, so the server does not hand it another. */
  busyWith?: string | null;
}

export type WorkerAck = { ok: true } | { ok: false; error: string };
/** The error text of an ack that means "not stored, send it again". */
export const RETRY_ERROR = "server error, retry";

/** Namespace "/workers": worker agents. Every report carries an ack; the worker retries until it is acked,
 *  and the server's writes are idempotent, so a metric is stored once even when sent twice. */
export interface WorkerClientEvents {
  /** "I am free: send me one trial." Each idle message gets at most one assignment. */
  "worker:idle": () => void;
  /** Renews the lease on a trial while an epoch is in progress. */
  "trial:heartbeat": (payload: { trialId: string }) => void;
  "trial:epoch": (payload: { trialId: string; attempt: number; epoch: number; metrics: EpochMetrics }, ack: (r: WorkerAck) => void) => void;
  "trial:complete": (
    payload: {
      trialId: string;
      attempt: number;
      epochsRun: number;
      stopReason?: string;
      testMetrics: TestMetrics;
      /** Confusion matrices, per-class metrics and sample predictions; absent from workers that predate them. */
      evaluation?: TrialEvaluation;
      artifact: ModelArtifact;
    },
    ack: (r: WorkerAck) => void,
  ) => void;
  "trial:failed": (payload: { trialId: string; attempt: number; error: string }, ack: (r: WorkerAck) => void) => void;
}

export interface WorkerServerEvents {
  /** Sent on connection: how often to renew leases (half the server's lease, so one late beat is tolerated). */
  "worker:welcome": (payload: { heartbeatMs: number }) => void;
  "trial:assign": (job: TrainJob) => void;
  "trial:stop": (payload: { trialId: string; reason: string }) => void;
}
