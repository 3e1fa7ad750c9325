// Training-mode batch normalisation as two native kernels for the wasm backend: the forward pass (batch mean and
// variance over every axis but the channels, normalise, scale, shift) and its gradient (dx, dgamma, dbeta), each
// two passes over the activations. TF.js composes the same from moments (Mean, Sub, Square, Mean) and
// FusedBatchNorm, whose gradient is ~25 broadcasting kernels and two Tiles that alone cost more than the rest of a
// training step. The kernels exist only on wasm with the native library; batch-norm-layer.ts uses them when they
// are registered and TF.js's own ops otherwise.
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeKernels } from "./native-kernels";
import { heapOf, offsetOf } from "./wasm-native-kernels";

export const BATCH_NORM_TRAIN_KERNEL = "SweepboardBatchNormTrain";
export const BATCH_NORM_TRAIN_GRAD_KERNEL = "SweepboardBatchNormTrainGrad";

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Record<string, unknown> };

const rowsOf = (x: tf.TensorInfo) => tf.util.sizeFromShape(x.shape) / x.shape[x.shape.length - 1];

function checkFloat(kernel: string, ...infos: tf.TensorInfo[]): void {
  if (infos.some((info) => info.dtype !== "float32")) throw new Error(`${kernel} takes float32 tensors only`);
}

/** Inputs x (channels last), gamma, beta [channels]; attrs epsilon. Outputs y, mean, variance. */
export function batchNormTrainKernelConfig(native: NativeKernels): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Args): tf.TensorInfo[] => {
    const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
    checkFloat(BATCH_NORM_TRAIN_KERNEL, x, gamma, beta);
    const channels = x.shape[x.shape.length - 1];
    const y = backend.makeOutput(x.shape, "float32");
    const mean = backend.makeOutput([channels], "float32");
    const variance = backend.makeOutput([channels], "float32");
    native.batchNormTrain(
      heapOf(backend), offsetOf(backend, x), offsetOf(backend, gamma), offsetOf(backend, beta),
      offsetOf(backend, y), offsetOf(backend, mean), offsetOf(backend, variance), rowsOf(x), channels, attrs.epsilon as number,
    );
    return [y, mean, variance];
  };
  return { kernelName: BATCH_NORM_TRAIN_KERNEL, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** Inputs dy, dMean, dVariance (the forward outputs' gradients), x, mean, variance, gamma; attrs epsilon.
 *  Outputs dx, dgamma, dbeta. */
export function batchNormTrainGradKernelConfig(native: NativeKernels): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Args): tf.TensorInfo[] => {
    const { dy, dMean, dVariance, x, mean, variance, gamma } = inputs as Record<string, tf.TensorInfo>;
    checkFloat(BATCH_NORM_TRAIN_GRAD_KERNEL, dy, dMean, dVariance, x, mean, variance, gamma);
    const channels = x.shape[x.shape.length - 1];
    const dx = backend.makeOutput(x.shape, "float32");
    const dgamma = backend.makeOutput([channels], "float32");
    const dbeta = backend.makeOutput([channels], "float32");
    native.batchNormTrainGrad(
      heapOf(backend), offsetOf(backend, dy), offsetOf(backend, dMean), offsetOf(backend, dVariance), offsetOf(backend, x), offsetOf(backend, mean), offsetOf(backend, variance),
      offsetOf(backend, gamma), offsetOf(backend, dx), offsetOf(backend, dgamma), offsetOf(backend, dbeta),
      rowsOf(x), channels, attrs.epsilon as number,
    );
    return [dx, dgamma, dbeta];
  };
  return { kernelName: BATCH_NORM_TRAIN_GRAD_KERNEL, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

let gradientInstalled = false;

/** The forward kernel's gradient (idempotent). */
export function installBatchNormGradient(): void {
  if (gradientInstalled) return;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN_KERNEL,
    inputsToSave: ["x", "gamma"],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      // The engine hands zeros for outputs off the loss's path (the statistics, which only feed the moving
      // averages); the kernel still adds their terms, so a model that differentiates through them is exact too.
      const [dy, dMean, dVariance] = dys as tf.Tensor[];
      const [x, gamma, mean, variance] = saved;
      // One kernel gives all three gradients; the engine keeps those it asks for and frees the rest.
      const [dx, dgamma, dbeta] = tf.engine().runKernel(
        BATCH_NORM_TRAIN_GRAD_KERNEL,
        { dy, dMean, dVariance, x, mean, variance, gamma },
        { epsilon: (attrs as { epsilon: number }).epsilon },
      ) as tf.Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
  gradientInstalled = true;
}

/** Whether this process can run `x` through the fused kernels now (wasm with the native library, float32). */
export function fusedBatchNormAvailable(x: tf.Tensor): boolean {
  return (
    tf.getBackend() === "wasm" && x.dtype === "float32" && x.rank >= 2 && x.size > 0 &&
    tf.getKernel(BATCH_NORM_TRAIN_KERNEL, "wasm") !== undefined
  );
}
