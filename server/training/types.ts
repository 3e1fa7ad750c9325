// What a worker is asked to train and what it gives back. Shared by the scheduler, the worker agent and the trainer.
import type { EarlyStoppingOptions } from "../../search/early-stopping";
import type { Params } from "../../search/parameters";

/** The single weights file a model.json's manifest points at, in artifacts and in downloaded zips. */
export const WEIGHTS_FILE = "weights.bin";

export const DATASET_NAMES = ["fashion-mnist", "csv"] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
export const TEMPLATE_NAMES = ["cnn", "mlp"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The templates each dataset kind can train (a CNN needs images); read by the validator and the sweep form. */
export const TEMPLATES_FOR_DATASET: Record<DatasetName, readonly TemplateName[]> = { "fashion-mnist": TEMPLATE_NAMES, csv: ["mlp"] };

export interface ImageDatasetRef {
  name: "fashion-mnist";
  /** How many training images to draw (stratified, seeded) from the official training set; all when absent. */
  subset?: number;
  /** Fraction of the drawn training images held out for validation. */
  validationSplit: number;
}

/** A CSV table each worker finds under its own SWEEPBOARD_DATA_DIR (the file is never sent over the wire). */
export interface CsvDatasetRef {
  name: "csv";
  /** Path relative to the data directory. */
  file: string;
  /** The label column's header. */
  label: string;
  /** Feature columns in this order; every column but the label and `ignore` when absent. */
  features?: string[];
  /** Columns that are neither label nor feature (ids, free text). */
  ignore?: string[];
  validationSplit: number;
  testSplit: number;
}

export type DatasetRef = ImageDatasetRef | CsvDatasetRef;

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
  /** Keras ModelCheckpoint(save_best_only): the trial's model is its best epoch by `monitor`, not its last. */
  checkpoint?: { monitor: string; mode: "min" | "max" | "auto" };
}

/** Keras-style names, so users read what they are used to. */
export interface EpochMetrics {
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  duration_ms: number;
  images_per_sec: number;
  /** The optimizer's learning rate during the epoch (schedules change it between epochs). */
  learning_rate: number;
}

export interface TestMetrics {
  test_loss: number;
  test_accuracy: number;
}

/** Images: pixel bytes times `scale`. */
export interface ImagePreprocessing {
  scale: number;
  description: string;
}

/** Tables: input i of a row is (value of column featureNames[i] - mean[i]) / std[i], from the training rows. */
export interface TabularPreprocessing {
  featureNames: string[];
  mean: number[];
  std: number[];
  description: string;
}

export type ImageDatasetMetadata = ImageDatasetRef & { testSplit: "official-test"; testSubset?: number; seed: number };
/** `features` is the resolved column list (what the model reads), even when the sweep named none. */
export type CsvDatasetMetadata = CsvDatasetRef & { features: string[]; seed: number; testRows: number };

/** Everything needed to rebuild the model with plain `tf.loadLayersModel`, plus what a user needs to use it. */
export interface ModelMetadata {
  classNames: string[];
  inputShape: number[];
  preprocessing: ImagePreprocessing | TabularPreprocessing;
  dataset: ImageDatasetMetadata | CsvDatasetMetadata;
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

/** A blob in the server's content-addressed artifact store (server/artifacts/): its sha256 (lowercase hex) and size. */
export interface BlobRef {
  sha256: string;
  bytes: number;
}

/** A model artifact as workers report it and the server stores it: the weights by reference, uploaded over HTTP
 *  beforehand (PUT /api/worker/artifacts/:sha256), so they never travel through Socket.IO or sit in a table row. */
export type StoredModelArtifact = Omit<ModelArtifact, "weights"> & { weights: BlobRef };

/** Precision, recall and F1 of one class (one-vs-rest); support is its number of true samples. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** How the final model does on one split. */
export interface ClassificationReport {
  count: number;
  loss: number;
  accuracy: number;
  macro: { precision: number; recall: number; f1: number };
  /** Indexed by class. */
  perClass: ClassMetrics[];
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
}

/** One test image with what the final model made of it. */
export interface SamplePrediction {
  width: number;
  height: number;
  /** The image's grayscale bytes (row-major, width * height), base64: small enough to send and store. */
  pixels: string;
  label: number;
  predicted: number;
  /** The model's probability for its predicted class. */
  confidence: number;
}

/** Feature values a sample row carries at most (the first ones in the model's order), so wide tables stay small. */
export const MAX_SAMPLE_FEATURES = 32;

/** One test row of a table with what the final model made of it. */
export interface FeatureSamplePrediction {
  /** The row's values as in the CSV (before standardisation), one per shown feature. */
  features: number[];
  label: number;
  predicted: number;
  confidence: number;
}

/** The final model's evaluation, computed at the end of the trial (not part of the per-epoch stream). */
export interface TrialEvaluation {
  classNames: string[];
  /** Null when the validation split is empty. */
  validation: ClassificationReport | null;
  test: ClassificationReport;
  /** Test images (image datasets; empty for tables). */
  samples: SamplePrediction[];
  /** Test rows (tabular datasets), with the names of the features shown (the first few of a wide table). */
  featureSamples?: { featureNames: string[]; rows: FeatureSamplePrediction[] };
}

export interface TrainResult {
  epochsRun: number;
  /** Set when early stopping ended training before the last epoch. */
  stopReason?: string;
  testMetrics: TestMetrics;
  evaluation: TrialEvaluation;
  artifact: ModelArtifact;
}
