// Turning examples (raw image bytes, or a table's standardised rows) into model inputs, and evaluating a model over
// a whole set in chunks. Data is prepared in plain JS outside tf.tidy (large typed arrays returned from tidy are slow).
import * as tf from "@tensorflow/tfjs";
import type { TabularSet } from "../datasets/csv-table";
import type { ImageSet } from "../datasets/fashion-mnist";
import { perSampleLoss, weightedLossSum } from "./losses";
import type { LossName } from "./training-parameters";

export const PIXEL_SCALE = 1 / 255;

/** Labelled examples of any dataset kind. */
export type ExampleSet = ImageSet | TabularSet;

/** Where a set's values lie, how many make one example, the factor that turns them into inputs, and the shape of
 *  one example as the model sees it ([h, w, 1] for images, [features] for tables). */
export function exampleLayout(set: ExampleSet): { values: ArrayLike<number>; size: number; scale: number; shape: number[] } {
  return "images" in set
    ? { values: set.images, size: set.height * set.width, scale: PIXEL_SCALE, shape: [set.height, set.width, 1] }
    : { values: set.features, size: set.width, scale: 1, shape: [set.width] };
}

export interface Batch {
  xs: tf.Tensor;
  labels: tf.Tensor1D;
  oneHot: tf.Tensor2D;
  /** Per-sample weights (Keras class_weight) for training batches; absent means 1 for every sample. */
  weights?: tf.Tensor1D;
}

/** Examples `order[start..end)` of a set as a float tensor ([n, h, w, 1] of pixels / 255, or [n, features]) with
 *  their labels, and each sample's class weight when `classWeights` is given. */
export function makeBatch(
  set: ExampleSet,
  order: ArrayLike<number>,
  start: number,
  end: number,
  numClasses: number,
  classWeights: Float32Array | null = null,
): Batch {
  const count = end - start;
  const { values: source, size, scale, shape } = exampleLayout(set);
  const values = new Float32Array(count * size);
  const labelValues = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const index = order[start + i];
    const offset = index * size;
    for (let p = 0; p < size; p++) values[i * size + p] = source[offset + p] * scale;
    labelValues[i] = set.labels[index];
  }
  const xs = tf.tensor(values, [count, ...shape]);
  const labels = tf.tensor1d(labelValues, "int32");
  const oneHot = tf.oneHot(labels, numClasses) as tf.Tensor2D;
  const weights = classWeights ? tf.tensor1d(Float32Array.from(labelValues, (label) => classWeights[label])) : undefined;
  return { xs, labels, oneHot, ...(weights ? { weights } : {}) };
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.xs, batch.labels, batch.oneHot, ...(batch.weights ? [batch.weights] : [])]);
}

/** Summed (sample-weighted) loss and correct count of `predictions` (probabilities), as scalars. Accuracy is the
 *  arg-max match, whatever the loss. Categorical cross-entropy unless told otherwise. */
export function lossAndCorrect(
  predictions: tf.Tensor,
  batch: Batch,
  loss: LossName = "categorical_crossentropy",
): { lossSum: tf.Scalar; correct: tf.Scalar } {
  return tf.tidy(() => {
    const lossSum = weightedLossSum(perSampleLoss(loss, { labels: batch.labels, dense: batch.oneHot }, predictions), batch.weights);
    const hits = tf.equal(tf.argMax(predictions, -1), batch.labels);
    const correct = tf.sum(tf.cast(hits, "float32")) as tf.Scalar;
    return { lossSum, correct };
  });
}

export interface Evaluation {
  loss: number;
  accuracy: number;
}

export interface SetPredictions extends Evaluation {
  /** Arg-max class and its probability, per example of the set. */
  predicted: Int32Array;
  confidence: Float32Array;
}

const sequence = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** Unweighted loss, accuracy and each example's predicted class over a whole set (inference mode), in chunks to
 *  bound memory. Loss and accuracy are NaN for an empty set. */
export function predictSet(
  model: tf.LayersModel,
  set: ExampleSet,
  numClasses: number,
  loss: LossName = "categorical_crossentropy",
  chunkSize = 500,
): SetPredictions {
  const predicted = new Int32Array(set.count);
  const confidence = new Float32Array(set.count);
  if (set.count === 0) return { loss: Number.NaN, accuracy: Number.NaN, predicted, confidence };
  const order = sequence(set.count);
  let lossTotal = 0;
  let correctTotal = 0;
  for (let start = 0; start < set.count; start += chunkSize) {
    const batch = makeBatch(set, order, start, Math.min(set.count, start + chunkSize), numClasses);
    const probabilities = model.predict(batch.xs) as tf.Tensor;
    const { lossSum, correct } = lossAndCorrect(probabilities, batch, loss);
    const best = tf.argMax(probabilities, -1);
    const top = tf.max(probabilities, -1);
    lossTotal += lossSum.dataSync()[0];
    correctTotal += correct.dataSync()[0];
    predicted.set(best.dataSync() as Int32Array, start);
    confidence.set(top.dataSync() as Float32Array, start);
    tf.dispose([probabilities, lossSum, correct, best, top]);
    disposeBatch(batch);
  }
  return { loss: lossTotal / set.count, accuracy: correctTotal / set.count, predicted, confidence };
}

/** Loss and accuracy over a whole set (inference mode). NaN for an empty set. */
export function evaluateSet(model: tf.LayersModel, set: ExampleSet, numClasses: number, loss?: LossName, chunkSize?: number): Evaluation {
  const { loss: value, accuracy } = predictSet(model, set, numClasses, loss, chunkSize);
  return { loss: value, accuracy };
}
