// The IPC protocol between a trainer client (parent) and its trainer process (child), typed once.
// Sent with Node's 'advanced' serialization (structured clone), so Uint8Array weights arrive as Uint8Array.
import type { EngineInfo } from "./backend";
import type { EpochMetrics, TrainJob, TrainResult } from "./types";

export type ParentToChild =
  | { type: "train"; job: TrainJob }
  /** Stop the running trial at its next check; the result still comes back. */
  | { type: "stop" }
  /** The parent finished handling an epoch report; training continues only after this. */
  | { type: "epoch-ack"; trialId: string; epoch: number };

export type ChildToParent =
  /** Sent once the TF.js backend is initialised: the backend the trials will train on. */
  | { type: "ready"; pid: number; backend: string; engine?: EngineInfo }
  | { type: "epoch"; trialId: string; epoch: number; metrics: EpochMetrics }
  | { type: "result"; trialId: string; result: TrainResult }
  | { type: "error"; trialId: string; message: string; stack?: string };
