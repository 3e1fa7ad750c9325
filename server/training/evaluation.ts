// The end-of-trial evaluation of the final model: a classification report (accuracy, per-class and macro
// precision / recall / F1, confusion matrix) on the validation and test splits, and a few test images with their
// predictions. Bounded in size: it is sent to the server and stored with the trial.
import * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../datasets/fashion-mnist";
import { createRandom, shuffleInPlace } from "../datasets/seeded-random";
import { classificationReport } from "./classification-metrics";
import { predictSet } from "./image-batches";
import type { LossName } from "./training-parameters";
import type { ClassificationReport, SamplePrediction, TrialEvaluation } from "./types";

/** How many test images the trial detail shows: half of them mistakes when there are enough. */
export const SAMPLE_COUNT = 12;

export interface EvaluationInput {
  model: tf.LayersModel;
  validation: ImageSet;
  test: ImageSet;
  classNames: string[];
  loss: LossName;
  /** Picks the sample images (the same ones for every trial of a sweep with the same seed). */
  seed: number;
}

export function evaluateModel(input: EvaluationInput): TrialEvaluation {
  const numClasses = input.classNames.length;
  const report = (set: ImageSet): { report: ClassificationReport; predicted: Int32Array; confidence: Float32Array } => {
    const result = predictSet(input.model, set, numClasses, input.loss);
    return { report: classificationReport(set.labels, result.predicted, numClasses, result.loss), ...result };
  };
  const test = report(input.test);
  return {
    classNames: input.classNames,
    validation: input.validation.count > 0 ? report(input.validation).report : null,
    test: test.report,
    samples: pickSamples(input.test, test.predicted, test.confidence, input.seed),
  };
}

/** Up to SAMPLE_COUNT test images in a seeded order, at most half of them misclassified and the rest correct,
 *  so the user sees both what the model gets right and what it confuses. */
export function pickSamples(set: ImageSet, predicted: Int32Array, confidence: Float32Array, seed: number): SamplePrediction[] {
  const order = shuffleInPlace(Array.from({ length: set.count }, (_, i) => i), createRandom(seed));
  const wrong = order.filter((i) => predicted[i] !== set.labels[i]);
  const right = order.filter((i) => predicted[i] === set.labels[i]);
  const wrongTaken = wrong.slice(0, Math.max(SAMPLE_COUNT / 2, SAMPLE_COUNT - right.length));
  const chosen = [...wrongTaken, ...right.slice(0, SAMPLE_COUNT - wrongTaken.length)];
  const pixels = set.width * set.height;
  return chosen
    .sort((a, b) => a - b)
    .map((i) => ({
      width: set.width,
      height: set.height,
      pixels: Buffer.from(set.images.subarray(i * pixels, (i + 1) * pixels)).toString("base64"),
      label: set.labels[i],
      predicted: predicted[i],
      confidence: confidence[i],
    }));
}
