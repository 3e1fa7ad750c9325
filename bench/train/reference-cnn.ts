// The reference CNN of ../shared/bench/README.md (Keras 'valid' padding, Glorot-uniform weights, zero biases, as
// PyTorch's side builds it) and the training step our trainer runs, for the training benchmarks.
import * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../../server/datasets/fashion-mnist";
import { createRandom, shuffleInPlace } from "../../server/datasets/seeded-random";
import type { Params } from "../../search/parameters";
import { buildCnn, cnnConfigFromParams, referenceCnnParams } from "../../server/training/cnn-model";
import { disposeBatch, lossAndCorrect, makeBatch } from "../../server/training/image-batches";

export const BATCH = 64;

/**
 * Built by the trials' own CNN template from `referenceCnnParams()`, so the benchmark measures what trials run.
 * `seed` is the trial seed (initial weights); passed to trainEpoch it also varies the batch order. `params` builds
 * a variant of it instead (bench/train/variants.ts).
 */
export function referenceCnn(seed = 0, params: Params = referenceCnnParams()): tf.Sequential {
  return buildCnn(cnnConfigFromParams(params), seed, { inputShape: [28, 28, 1], numClasses: 10 });
}

/** One epoch over `set` (whole batches) in a seeded order; returns seconds. */
export function trainEpoch(model: tf.Sequential, optimizer: tf.Optimizer, set: ImageSet, epoch: number, seed = 0): number {
  const order = shuffleInPlace(Int32Array.from({ length: set.count }, (_, i) => i), createRandom(seed * 1000 + epoch + 1));
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const began = performance.now();
  for (let start = 0; start + BATCH <= set.count; start += BATCH) {
    const batch = makeBatch(set, order, start, start + BATCH, 10);
    const loss = optimizer.minimize(() => {
      const { lossSum, correct } = lossAndCorrect(model.apply(batch.xs, { training: true }) as tf.Tensor, batch);
      correct.dispose();
      return tf.div(lossSum, BATCH) as tf.Scalar;
    }, true, variables)!;
    loss.dataSync(); // the trainer reads every batch's loss too
    loss.dispose();
    disposeBatch(batch);
  }
  return (performance.now() - began) / 1000;
}
