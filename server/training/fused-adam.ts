// The Adam-family update of one variable (Adam, and AdamW's decoupled weight decay), as one call. On the wasm
// backend with the native library it is one kernel that reads the parameter, gradient and moments once; elsewhere
// it is TF.js ops with the same arithmetic as tf.train.adam, which the numerics tests compare it against.
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeKernels } from "./native/native-kernels";
import { heapOf, offsetOf } from "./native/wasm-native-kernels";

export interface AdamHyper {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled (AdamW) decay: each step multiplies the parameter by 1 - learningRate * weightDecay. */
  weightDecay: number;
  /** 1-based step count, for the bias corrections. */
  step: number;
}

export interface AdamState {
  param: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
}

export const ADAM_UPDATE_KERNEL = "SweepboardAdamUpdate";

/** beta^step as TF.js's Adam keeps it: a float32 product updated once per step (memoised per beta). */
const accumulatedPowers = new Map<number, number[]>();
function accumulatedPower(beta: number, step: number): number {
  let powers = accumulatedPowers.get(beta);
  if (!powers) accumulatedPowers.set(beta, (powers = [1]));
  while (powers.length <= step) powers.push(Math.fround(powers[powers.length - 1] * Math.fround(beta)));
  return powers[step];
}

/** The bias corrections 1 - beta^t, rounded as tf.train.adam rounds them (they are ill-conditioned in float32). */
const corrections = (hyper: AdamHyper) => ({
  oneMinusAccBeta1: Math.fround(1 - accumulatedPower(hyper.beta1, hyper.step)),
  oneMinusAccBeta2: Math.fround(1 - accumulatedPower(hyper.beta2, hyper.step)),
});

function adamUpdateByOps(param: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, hyper: AdamHyper): AdamState {
  return tf.tidy(() => {
    const { oneMinusAccBeta1, oneMinusAccBeta2 } = corrections(hyper);
    const newM = tf.add(tf.mul(m, hyper.beta1), tf.mul(grad, 1 - hyper.beta1));
    const newV = tf.add(tf.mul(v, hyper.beta2), tf.mul(tf.square(grad), 1 - hyper.beta2));
    const mHat = tf.div(newM, oneMinusAccBeta1);
    const vHat = tf.div(newV, oneMinusAccBeta2);
    const decayed = hyper.weightDecay === 0 ? param : tf.mul(param, 1 - hyper.learningRate * hyper.weightDecay);
    const step = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), hyper.epsilon)), -hyper.learningRate);
    return { param: tf.add(step, decayed), m: newM, v: newV };
  });
}

/** Returns the updated parameter and moments as new tensors; the caller assigns them and disposes the old ones. */
export function adamUpdate(param: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, hyper: AdamHyper): AdamState {
  const fused = tf.getBackend() === "wasm" && tf.getKernel(ADAM_UPDATE_KERNEL, "wasm") !== undefined;
  const allFloat = [param, grad, m, v].every((t) => t.dtype === "float32");
  if (!fused || !allFloat) return adamUpdateByOps(param, grad, m, v, hyper);
  const [newParam, newM, newV] = tf.engine().runKernel(
    ADAM_UPDATE_KERNEL, { param, grad, m, v }, hyper as unknown as tf.NamedAttrMap,
  ) as tf.Tensor[];
  return { param: newParam, m: newM, v: newV };
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: AdamHyper };

/** The wasm kernel config running the update natively in place on the wasm heap. */
export function adamUpdateKernelConfig(native: NativeKernels): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Args): tf.TensorInfo[] => {
    const { param, grad, m, v } = inputs as Record<string, tf.TensorInfo>;
    const outputs = [param, m, v].map((t) => backend.makeOutput(t.shape, "float32"));
    const offset = (t: tf.TensorInfo) => offsetOf(backend, t);
    const { oneMinusAccBeta1, oneMinusAccBeta2 } = corrections(attrs);
    native.adamUpdate(
      heapOf(backend), offset(param), offset(grad), offset(m), offset(v), offset(outputs[0]), offset(outputs[1]), offset(outputs[2]),
      tf.util.sizeFromShape(param.shape), attrs.learningRate, attrs.beta1, 1 - attrs.beta1, attrs.beta2, 1 - attrs.beta2,
      attrs.epsilon, 1 - attrs.learningRate * attrs.weightDecay, oneMinusAccBeta1, oneMinusAccBeta2,
    );
    return outputs;
  };
  return { kernelName: ADAM_UPDATE_KERNEL, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
