// Activations on the native library for the wasm backend: Tanh, Sigmoid and LeakyRelu forward (replacing stock kernels,
// which fall back for non-float32 inputs), and one gradient kernel for tanh, sigmoid and leaky ReLU. TF.js writes
// those gradients as 3-4 broadcasting kernels (leaky ReLU's Greater against a scalar alone took 4 ms a step). As
// with ReLU (relu-gradient.ts), the gradients are re-registered: on wasm with the kernel they run it, elsewhere
// they are TF.js's own formulas, term for term.
import * as tf from "@tensorflow/tfjs";
import type { NativeKernels } from "./native-kernels";
import { heapOf, offsetOf, WASM, type KernelArgs, type KernelBody } from "./wasm-heap";

export const ACTIVATION_GRAD_KERNEL = "SweepboardActivationGrad";

const FORWARD_KINDS = { tanh: 0, leakyRelu: 1, sigmoid: 2 } as const;
const GRADIENT_KINDS = { tanh: 0, sigmoid: 1, leakyRelu: 2 } as const;
type GradientKind = keyof typeof GRADIENT_KINDS;

function forward(kind: keyof typeof FORWARD_KINDS): KernelBody {
  return ({ inputs, backend, attrs }, native) => {
    const x = inputs.x as tf.TensorInfo;
    if (x.dtype !== "float32") return null;
    const y = backend.makeOutput(x.shape, "float32");
    const alpha = kind === "leakyRelu" ? (attrs.alpha as number) : 0;
    native.activation(heapOf(backend), offsetOf(backend, x), offsetOf(backend, y), tf.util.sizeFromShape(x.shape), FORWARD_KINDS[kind], alpha);
    return y;
  };
}

export const ACTIVATION_BODIES: Record<string, KernelBody> = {
  [tf.Tanh]: forward("tanh"),
  [tf.Sigmoid]: forward("sigmoid"),
  [tf.LeakyRelu]: forward("leakyRelu"),
};

/** Inputs dy and v (y for tanh and sigmoid, x for leaky ReLU); attrs activation, alpha. Output dx. */
export function activationGradKernelConfig(native: NativeKernels): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo => {
    const { dy, v } = inputs as Record<string, tf.TensorInfo>;
    const kind = GRADIENT_KINDS[attrs.activation as GradientKind];
    if (kind === undefined) throw new Error(`${ACTIVATION_GRAD_KERNEL}: unknown activation ${String(attrs.activation)}`);
    const dx = backend.makeOutput(v.shape, "float32");
    native.activationGrad(
      heapOf(backend), offsetOf(backend, dy), offsetOf(backend, v), offsetOf(backend, dx), tf.util.sizeFromShape(v.shape),
      kind, (attrs.alpha as number | undefined) ?? 0,
    );
    return dx;
  };
  return { kernelName: ACTIVATION_GRAD_KERNEL, backendName: WASM, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

function nativeGradient(activation: GradientKind, dy: tf.Tensor, v: tf.Tensor, alpha = 0): tf.Tensor | null {
  const available = tf.getBackend() === WASM && tf.getKernel(ACTIVATION_GRAD_KERNEL, WASM) !== undefined;
  if (!available || dy.dtype !== "float32" || v.dtype !== "float32" || dy.size !== v.size) return null;
  return tf.engine().runKernel(ACTIVATION_GRAD_KERNEL, { dy, v }, { activation, alpha }) as tf.Tensor;
}

let gradientsInstalled = false;

/** Installs the three gradients (idempotent; harmless on backends without the kernel). */
export function installActivationGradients(): void {
  if (gradientsInstalled) return;
  tf.registerGradient({
    kernelName: tf.Tanh,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({
      x: () => nativeGradient("tanh", dy as tf.Tensor, y) ?? tf.mul(tf.sub(tf.scalar(1), tf.square(y)), dy as tf.Tensor),
    }),
  });
  tf.registerGradient({
    kernelName: tf.Sigmoid,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({
      x: () => nativeGradient("sigmoid", dy as tf.Tensor, y) ?? tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(tf.scalar(1), y))),
    }),
  });
  tf.registerGradient({
    kernelName: tf.LeakyRelu,
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => {
      const { alpha } = attrs as { alpha: number };
      return {
        x: () => nativeGradient("leakyRelu", dy as tf.Tensor, x, alpha) ?? tf.where(tf.greater(x, 0), dy as tf.Tensor, tf.mul(dy as tf.Tensor, alpha)),
      };
    },
  });
  gradientsInstalled = true;
}
