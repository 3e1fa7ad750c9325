// Turning raw image bytes into model inputs, and evaluating a model over a whole image set in chunks.
// Data is prepared in plain JS outside tf.tidy (large typed arrays returned from tidy are slow).
import * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../datasets/fashion-mnist";

export const PIXEL_SCALE = 1 / 255;

export interface Batch {
  xs: tf.Tensor4D;
  labels: tf.Tensor1D;
  oneHot: tf.Tensor2D;
}

/** Images `order[start..end)` of a set as a [n, h, w, 1] float tensor (pixels / 255) with their labels. */
export function makeBatch(set: ImageSet, order: ArrayLike<number>, start: number, end: number, numClasses: number): Batch {
  const count = end - start;
  const pixels = set.height * set.width;
  const values = new Float32Array(count * pixels);
  const labelValues = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const index = order[start + i];
    const offset = index * pixels;
    for (let p = 0; p < pixels; p++) values[i * pixels + p] = set.images[offset + p] * PIXEL_SCALE;
    labelValues[i] = set.labels[index];
  }
  const xs = tf.tensor4d(values, [count, set.height, set.width, 1]);
  const labels = tf.tensor1d(labelValues, "int32");
  const oneHot = tf.oneHot(labels, numClasses) as tf.Tensor2D;
  return { xs, labels, oneHot };
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.xs, batch.labels, batch.oneHot]);
}

/** Mean categorical cross-entropy and accuracy of `predictions` (probabilities), as summed scalars. */
export function lossAndCorrect(predictions: tf.Tensor, batch: Batch): { lossSum: tf.Scalar; correct: tf.Scalar } {
  return tf.tidy(() => {
    const lossSum = tf.sum(tf.metrics.categoricalCrossentropy(batch.oneHot, predictions)) as tf.Scalar;
    const hits = tf.equal(tf.argMax(predictions, -1), batch.labels);
    const correct = tf.sum(tf.cast(hits, "float32")) as tf.Scalar;
    return { lossSum, correct };
  });
}

export interface Evaluation {
  loss: number;
  accuracy: number;
}

const sequence = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** Loss and accuracy over a whole set (inference mode), in chunks to bound memory. NaN for an empty set. */
export function evaluateSet(model: tf.LayersModel, set: ImageSet, numClasses: number, chunkSize = 500): Evaluation {
  if (set.count === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  const order = sequence(set.count);
  let lossTotal = 0;
  let correctTotal = 0;
  for (let start = 0; start < set.count; start += chunkSize) {
    const batch = makeBatch(set, order, start, Math.min(set.count, start + chunkSize), numClasses);
    const predictions = model.predict(batch.xs) as tf.Tensor;
    const { lossSum, correct } = lossAndCorrect(predictions, batch);
    lossTotal += lossSum.dataSync()[0];
    correctTotal += correct.dataSync()[0];
    tf.dispose([predictions, lossSum, correct]);
    disposeBatch(batch);
  }
  return { loss: lossTotal / set.count, accuracy: correctTotal / set.count };
}
