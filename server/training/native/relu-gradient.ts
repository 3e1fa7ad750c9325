// ReLU's gradient in one native pass. TF.js composes it as dy * cast(step(x)), which on wasm is three kernels and
// a copy (the float32->float32 cast copies). We re-register Relu's gradient: it runs our kernel when the wasm
// backend has it and is otherwise exactly TF.js's formula, so other backends compute what they always did.
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeKernels } from "./native-kernels";
import { heapOf, offsetOf } from "./wasm-native-kernels";

export const RELU_GRAD_KERNEL = "SweepboardReluGrad";

function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const native = tf.getBackend() === "wasm" && tf.getKernel(RELU_GRAD_KERNEL, "wasm") !== undefined;
  if (native && dy.dtype === "float32" && x.dtype === "float32") {
    return tf.engine().runKernel(RELU_GRAD_KERNEL, { dy, x }, {}) as tf.Tensor;
  }
  return tf.mul(dy, tf.cast(tf.step(x), "float32"));
}

let gradientInstalled = false;

/** Installs the Relu gradient above (idempotent; harmless on backends without the kernel). */
export function installReluGradient(): void {
  if (gradientInstalled) return;
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => ({ x: () => reluGradient(dy as tf.Tensor, saved[0]) }),
  });
  gradientInstalled = true;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm };

export function reluGradKernelConfig(native: NativeKernels): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend }: Args): tf.TensorInfo => {
    const { dy, x } = inputs as Record<string, tf.TensorInfo>;
    const dx = backend.makeOutput(x.shape, "float32");
    native.reluGrad(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, x), offsetOf(backend, dx), tf.util.sizeFromShape(x.shape));
    return dx;
  };
  return { kernelName: RELU_GRAD_KERNEL, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
