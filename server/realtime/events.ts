// Socket.IO event maps, typed once and shared by the server, the worker agent and the browser.
import type { EpochRecord, SweepSummary, TrialSummary } from "../sweeps/types";
import type { EpochMetrics, StoredModelArtifact, TestMetrics, TrainJob, TrialEvaluation } from "../training/types";

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
/** Workers have their own Socket.IO server (engine) on this path: its message size limit is theirs, not browsers'. */
export const WORKER_SOCKET_PATH = "/socket.io-workers";
export const sweepRoom = (sweepId: string) => `sweep:${sweepId}`;

/** Sent in the Socket.IO handshake (`auth`) by every worker, local or remote. Its token travels as the handshake's
 *  `Authorization: Bearer` header, checked before the connection opens. */
export interface WorkerHello {
  name: string;
  backend: string;
  /** What the engine runs on (GPU or CPU model), and its memory and the machine's cores, for placement and display. */
  device?: string;
  memoryBytes?: number;
  cores?: number;
  /** The trial the agent is still training when it (re)connects, so the server does not hand it another. */
  busyWith?: string | null;
  /** On a reconnect: the id and ticket of the last welcome, so the server recognises the same worker (its leases). */
  resume?: { workerId: string; ticket: string };
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
      /** The weights by reference ({ sha256, bytes }), uploaded first over HTTP (PUT /api/worker/artifacts/:sha256):
       *  the server refuses a completion whose blob is missing or of another size. */
      artifact: StoredModelArtifact;
    },
    ack: (r: WorkerAck) => void,
  ) => void;
  /** `kind` "killed": the trainer process died of a signal (OOM killer, kill -9): the server re-runs the trial as its
   *  next attempt. Absent or "error": training raised, and the trial fails. */
  "trial:failed": (payload: { trialId: string; attempt: number; error: string; kind?: "error" | "killed" }, ack: (r: WorkerAck) => void) => void;
}

export interface WorkerServerEvents {
  /** Sent on connection: how often to renew leases (half the server's lease, so one late beat is tolerated), and the
   *  id the server gave this worker with the ticket that claims it again after a reconnect. */
  "worker:welcome": (payload: { heartbeatMs: number; workerId: string; ticket: string }) => void;
  "trial:assign": (job: TrainJob) => void;
  /** `keepModel`: the trial was stopped with its sweep; send the model trained so far (upload, then
   *  "trial:complete"), which the server keeps for the stopped trial so that it can be promoted. */
  "trial:stop": (payload: { trialId: string; reason: string; keepModel?: boolean }) => void;
}
