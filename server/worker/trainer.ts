// What a worker agent needs from a trainer. The real one runs TF.js in a child process (server/training).
import type { EpochMetrics, TrainJob, TrainResult } from "../training/types";

export interface Trainer {
  train(job: TrainJob, onEpoch: (epoch: number, metrics: EpochMetrics) => Promise<void> | void): Promise<TrainResult>;
  /** Ask the current trial to stop at its next check. */
  stop(): void;
  dispose(): Promise<void>;
}
