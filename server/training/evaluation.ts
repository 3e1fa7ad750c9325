// The end-of-trial evaluation of the final model: a classification report (accuracy, per-class and macro
// precision / recall / F1, confusion matrix) on the validation and test splits, and a few test examples (images,
// or a table's rows) with their predictions. Bounded in size: it is sent to the server and stored with the trial.
import * as tf from "@tensorflow/tfjs";
import type { TabularSet } from "../datasets/csv-table";
import type { ImageSet } from "../datasets/fashion-mnist";
import { createRandom, shuffleInPlace } from "../datasets/seeded-random";
import { classificationReport } from "./classification-metrics";
import { predictSet, type ExampleSet } from "./image-batches";
import type { LossName } from "./training-parameters";
import {
  MAX_SAMPLE_FEATURES,
  type ClassificationReport,
  type FeatureSamplePrediction,
  type SamplePrediction,
  type TrialEvaluation,
} from "./types";

/** How many test examples the trial detail shows: half of them mistakes when there are enough. */
export const SAMPLE_COUNT = 12;

export interface EvaluationInput {
  model: tf.LayersModel;
  validation: ExampleSet;
  test: ExampleSet;
  classNames: string[];
  loss: LossName;
  /** Picks the sample examples (the same ones for every trial of a sweep with the same seed). */
  seed: number;
  /** For tables: the test rows as read from the CSV (what the samples show) and their columns' names. */
  tableRows?: { featureNames: string[]; test: TabularSet };
}

export function evaluateModel(input: EvaluationInput): TrialEvaluation {
  const numClasses = input.classNames.length;
  const report = (set: ExampleSet): { report: ClassificationReport; predicted: Int32Array; confidence: Float32Array } => {
    const result = predictSet(input.model, set, numClasses, input.loss);
    return { report: classificationReport(set.labels, result.predicted, numClasses, result.loss), ...result };
  };
  const test = report(input.test);
  const evaluation = {
    classNames: input.classNames,
    validation: input.validation.count > 0 ? report(input.validation).report : null,
    test: test.report,
  };
  if ("images" in input.test) return { ...evaluation, samples: pickSamples(input.test, test.predicted, test.confidence, input.seed) };
  if (!input.tableRows) throw new Error("a tabular evaluation needs the test rows as read to show samples");
  return { ...evaluation, samples: [], featureSamples: pickFeatureSamples(input.tableRows, test.predicted, test.confidence, input.seed) };
}

/** Up to SAMPLE_COUNT test examples in a seeded order, at most half of them misclassified and the rest correct,
 *  so the user sees both what the model gets right and what it confuses. */
export function pickSampleIndices(labels: Uint8Array, predicted: Int32Array, seed: number): number[] {
  const order = shuffleInPlace(Array.from({ length: labels.length }, (_, i) => i), createRandom(seed));
  const wrong = order.filter((i) => predicted[i] !== labels[i]);
  const right = order.filter((i) => predicted[i] === labels[i]);
  const wrongTaken = wrong.slice(0, Math.max(SAMPLE_COUNT / 2, SAMPLE_COUNT - right.length));
  return [...wrongTaken, ...right.slice(0, SAMPLE_COUNT - wrongTaken.length)].sort((a, b) => a - b);
}

/** The chosen test rows with the CSV's values (float32's 7 significant digits give back the decimals read). */
export function pickFeatureSamples(
  { featureNames, test: set }: NonNullable<EvaluationInput["tableRows"]>,
  predicted: Int32Array,
  confidence: Float32Array,
  seed: number,
): TrialEvaluation["featureSamples"] {
  const shown = Math.min(set.width, MAX_SAMPLE_FEATURES);
  const rows = pickSampleIndices(set.labels, predicted, seed).map(
    (i): FeatureSamplePrediction => ({
      features: Array.from(set.features.subarray(i * set.width, i * set.width + shown), (v) => Number(v.toPrecision(7))),
      label: set.labels[i],
      predicted: predicted[i],
      confidence: confidence[i],
    }),
  );
  return { featureNames: featureNames.slice(0, shown), rows };
}

/** The chosen test images as grayscale bytes (base64) with label, prediction and confidence. */
export function pickSamples(set: ImageSet, predicted: Int32Array, confidence: Float32Array, seed: number): SamplePrediction[] {
  const pixels = set.width * set.height;
  return pickSampleIndices(set.labels, predicted, seed).map((i) => ({
      width: set.width,
      height: set.height,
      pixels: Buffer.from(set.images.subarray(i * pixels, (i + 1) * pixels)).toString("base64"),
      label: set.labels[i],
      predicted: predicted[i],
      confidence: confidence[i],
    }));
}
