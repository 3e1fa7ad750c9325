// What a worker is asked to train and what it gives back. Shared by the scheduler, the worker agent and the trainer.
import type { EarlyStoppingOptions } from "../../search/early-stopping";
import type { Params } from "../../search/parameters";

/** The single weights file a model.json's manifest points at, in artifacts and in downloaded zips. */
export const WEIGHTS_FILE = "weights.bin";

export type DatasetName = "fashion-mnist";
export type TemplateName = "cnn";

export interface DatasetRef {
  name: DatasetName;
  /** How many training images to draw (stratified, seeded) from the official training set; all when absent. */
  subset?: number;
  /** Fraction of the drawn training images held out for validation. */
  validationSplit: number;
}

export interface TrainJob {
  trialId: string;
  /** Seeds the data split, the weight init and the batch order. The split depends on the sweep seed only. */
  sweepSeed: number;
  trialSeed: number;
  dataset: DatasetRef;
  template: TemplateName;
  params: Params;
  /** Which run of the trial this is (0 first; a trial whose worker was lost runs again as the next attempt). */
  attempt: number;
  /** Keras-style early stopping of this trial on its own metrics (no peers). */
  earlyStopping?: EarlyStoppingOptions;
}

/** Keras-style names, so users read what they are used to. */
export interface EpochMetrics {
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  duration_ms: number;
  images_per_sec: number;
}

export interface TestMetrics {
  test_loss: number;
  test_accuracy: number;
}

/** Everything needed to rebuild the model with plain `tf.loadLayersModel`, plus what a user needs to use it. */
export interface ModelMetadata {
  classNames: string[];
  inputShape: number[];
  preprocessing: { scale: number; description: string };
  dataset: DatasetRef & { testSplit: "official-test"; testSubset?: number; seed: number };
  params: Params;
  metrics: Record<string, number>;
  backend: string;
  createdAt: string;
}

export interface ModelArtifact {
  /** model.json as tfjs writes it, with weightsManifest pointing at "weights.bin". */
  modelJson: Record<string, unknown>;
  weights: Uint8Array;
  metadata: ModelMetadata;
}

export interface TrainResult {
  epochsRun: number;
  /** Set when early stopping ended training before the last epoch. */
  stopReason?: string;
  testMetrics: TestMetrics;
  artifact: ModelArtifact;
}
