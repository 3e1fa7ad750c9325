// tf.layers.batchNormalization whose training-mode call runs the fused native kernels (native/batch-norm-kernels.ts)
// when this process has them. It is the stock layer object with its `call` wrapped, not a subclass: it serialises
// as the standard BatchNormalization config, so saved models load in stock TF.js, and inference (moving statistics)
// is TF.js's own code. The moving mean and variance are updated with the stock layer's arithmetic (Keras semantics:
// moving -= (moving - batch) * (1 - momentum), biased batch variance).
import * as tf from "@tensorflow/tfjs";
import { withTrainingCall } from "./training-call";
import { BATCH_NORM_TRAIN_KERNEL, fusedBatchNormAvailable } from "./native/batch-norm-kernels";

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** What the stock layer keeps privately (tfjs-layers' BatchNormalization fields, read after build). */
interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: tf.LayerVariable;
  beta?: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

function movingAverage(variable: tf.LayerVariable, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const original = variable.read();
    variable.write(tf.sub(original, tf.mul(tf.sub(original, value), 1 - momentum)));
  });
}

function fusedTrainingCall(layer: BatchNormInternals, x: tf.Tensor): tf.Tensor | null {
  const axis = layer.axis >= 0 ? layer.axis : layer.axis + x.rank;
  // The fused kernels normalise over every axis but the last, and need both gamma and beta.
  if (axis !== x.rank - 1 || !layer.gamma || !layer.beta || !fusedBatchNormAvailable(x)) return null;
  return tf.tidy(() => {
    const [y, mean, variance] = tf.engine().runKernel(
      BATCH_NORM_TRAIN_KERNEL,
      { x, gamma: layer.gamma!.read(), beta: layer.beta!.read() },
      { epsilon: layer.epsilon },
    ) as tf.Tensor[];
    movingAverage(layer.movingMean, mean, layer.momentum);
    movingAverage(layer.movingVariance, variance, layer.momentum);
    return y;
  });
}

/** A drop-in for tf.layers.batchNormalization(args). */
export function batchNormalization(args?: BatchNormArgs): tf.layers.Layer {
  const layer = tf.layers.batchNormalization(args);
  return withTrainingCall(layer, (x) => fusedTrainingCall(layer as unknown as BatchNormInternals, x));
}
