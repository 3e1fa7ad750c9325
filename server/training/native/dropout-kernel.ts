// Dropout as one native kernel for the wasm backend. TF.js's tf.dropout draws its uniforms in JavaScript (a
// seedrandom loop over every element, outside any kernel) and then runs Add, Floor, Div and Mul: about 7 ms of a
// 60 ms step for the CNN template's conv dropout. The kernel writes y and the multiplier (0 or 1 / (1 - rate)) in
// one pass; its gradient is dy * multiplier, the saved output, so backward reuses the forward's mask exactly as
// TF.js's (the multiplier is a constant of the Mul it differentiates).
import * as tf from "@tensorflow/tfjs";
import type { NativeKernels } from "./native-kernels";
import { heapOf, offsetOf, WASM, type KernelArgs as Args } from "./wasm-heap";

export const DROPOUT_KERNEL = "SweepboardDropout";

/** Input x (float32); attrs rate in (0, 1) and seed (an unsigned 32-bit integer). Outputs y and the multiplier. */
export function dropoutKernelConfig(native: NativeKernels): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Args): tf.TensorInfo[] => {
    const x = inputs.x as tf.TensorInfo;
    if (x.dtype !== "float32") throw new Error(`${DROPOUT_KERNEL} takes a float32 tensor`);
    const y = backend.makeOutput(x.shape, "float32");
    const multiplier = backend.makeOutput(x.shape, "float32");
    native.dropout(
      heapOf(backend), offsetOf(backend, x), offsetOf(backend, y), offsetOf(backend, multiplier),
      tf.util.sizeFromShape(x.shape), attrs.rate as number, attrs.seed as number,
    );
    return [y, multiplier];
  };
  return { kernelName: DROPOUT_KERNEL, backendName: WASM, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

let gradientInstalled = false;

/** The kernel's gradient with respect to x (idempotent). */
export function installDropoutGradient(): void {
  if (gradientInstalled) return;
  tf.registerGradient({
    kernelName: DROPOUT_KERNEL,
    outputsToSave: [false, true],
    gradFunc: (dys, saved) => {
      const [dy] = dys as tf.Tensor[];
      const [multiplier] = saved;
      return { x: () => tf.mul(dy, multiplier) };
    },
  });
  gradientInstalled = true;
}

/** Whether this process can run `x` through the native kernel now (wasm with the native library, float32). */
export function nativeDropoutAvailable(x: tf.Tensor): boolean {
  return tf.getBackend() === WASM && x.dtype === "float32" && x.size > 0 && tf.getKernel(DROPOUT_KERNEL, WASM) !== undefined;
}

/** y = dropout(x) through the kernel; returns y only (the multiplier is kept by the tape for the gradient). */
export function nativeDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  const [y, multiplier] = tf.engine().runKernel(DROPOUT_KERNEL, { x }, { rate, seed: seed >>> 0 }) as tf.Tensor[];
  multiplier.dispose();
  return y;
}
