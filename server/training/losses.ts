// Training losses with Keras's formulas and clipping, per sample, and Keras's class_weight: each sample's loss is
// scaled by its class's weight and the batch loss is the weighted sum over the batch size ("sum_over_batch_size").
// Classification targets come as integer labels (sparse) or one-hot rows; regression (mse) takes dense targets.
import * as tf from "@tensorflow/tfjs";
import type { ClassWeightName, LossName } from "./training-parameters";

/** Keras's backend epsilon, used to clip probabilities away from 0 and 1 before taking logs. */
const EPSILON = 1e-7;

export interface LossTargets {
  /** Integer class labels, shape [n] (sparse targets). */
  labels?: tf.Tensor1D;
  /** One-hot rows for classification, or the regression targets: same shape as the predictions. */
  dense?: tf.Tensor;
}

/** Per-sample loss, shape [n], of predictions (probabilities for classification, values for mse). */
export function perSampleLoss(loss: LossName, targets: LossTargets, predictions: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    switch (loss) {
      case "sparse_categorical_crossentropy": {
        const labels = required(targets.labels, loss, "labels");
        return crossEntropy(tf.oneHot(labels, predictions.shape[predictions.rank - 1]), predictions);
      }
      case "categorical_crossentropy":
        return crossEntropy(required(targets.dense, loss, "one-hot targets"), predictions);
      case "binary_crossentropy": {
        // Elementwise over the outputs (one-vs-rest for a softmax head), averaged over the last axis as Keras does.
        const y = required(targets.dense, loss, "one-hot targets");
        const p = tf.clipByValue(predictions, EPSILON, 1 - EPSILON);
        const terms = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
        return tf.neg(tf.mean(terms, -1)) as tf.Tensor1D;
      }
      case "mse": {
        const y = required(targets.dense, loss, "targets");
        const squared = tf.squaredDifference(predictions, y);
        return (squared.rank > 1 ? tf.mean(squared, -1) : squared) as tf.Tensor1D;
      }
      default:
        throw new Error(`unknown loss '${loss as string}'`);
    }
  });
}

/** Keras's categorical cross-entropy of probabilities: rows renormalised, clipped, -sum(y log p). */
function crossEntropy(oneHot: tf.Tensor, probabilities: tf.Tensor): tf.Tensor1D {
  const normalised = tf.div(probabilities, tf.sum(probabilities, -1, true));
  return tf.neg(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(normalised, EPSILON, 1 - EPSILON))), -1)) as tf.Tensor1D;
}

function required<T>(value: T | undefined, loss: LossName, what: string): T {
  if (value === undefined) throw new Error(`loss ${loss} needs ${what}`);
  return value;
}

/** Sum over the batch of the per-sample losses, each scaled by its sample weight when given. */
export function weightedLossSum(perSample: tf.Tensor1D, sampleWeights?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(sampleWeights ? tf.mul(perSample, sampleWeights) : perSample) as tf.Scalar);
}

/** Keras/scikit-learn "balanced" class weights from the training labels: n / (classes * count); 0 for absent classes. */
export function classWeights(kind: ClassWeightName, labels: ArrayLike<number>, numClasses: number): Float32Array | null {
  if (kind === "none") return null;
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]] += 1;
  return Float32Array.from(counts, (count) => (count === 0 ? 0 : labels.length / (numClasses * count)));
}
