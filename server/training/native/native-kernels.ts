// Loads the native training kernels (built from src/ at install, or here when the sources changed). Returns null,
// with the reason, when they cannot be had: no compiler, disabled, or a build for another CPU. Training then runs
// on the WebAssembly kernels alone.
import { createRequire } from "node:module";
import { buildNativeKernels } from "./build-native.mjs";

/** Every function works in place on the wasm heap: byte offsets of inputs and of outputs allocated by the caller. */
export interface NativeKernels {
  conv2d(heap: ArrayBuffer, x: number, filter: number, y: number, ...shape: number[]): void;
  conv2dBackpropFilter(heap: ArrayBuffer, x: number, dy: number, dw: number, ...shape: number[]): void;
  conv2dBackpropInput(heap: ArrayBuffer, dy: number, filter: number, dx: number, ...shape: number[]): void;
  batchMatMul(
    heap: ArrayBuffer, a: number, b: number, c: number,
    batch: number, batchA: number, batchB: number, m: number, n: number, k: number, transposeA: number, transposeB: number,
  ): void;
  maxPoolGrad(heap: ArrayBuffer, dy: number, x: number, dx: number, ...shape: number[]): void;
  reluGrad(heap: ArrayBuffer, dy: number, x: number, dx: number, size: number): void;
  /** out[c] = scale * sum over rows of x[r, c] (scale 1/rows gives the mean). */
  sumRows(heap: ArrayBuffer, x: number, out: number, rows: number, cols: number, scale: number): void;
  /** Training-mode batch norm over a [rows, channels] view: y, and the batch mean and (biased) variance. */
  batchNormTrain(
    heap: ArrayBuffer, x: number, gamma: number, beta: number, y: number, mean: number, variance: number,
    rows: number, channels: number, epsilon: number,
  ): void;
  /** Its gradient with respect to x, gamma and beta, from the gradients of y, mean and variance. */
  batchNormTrainGrad(
    heap: ArrayBuffer, dy: number, dMean: number, dVariance: number, x: number, mean: number, variance: number, gamma: number,
    dx: number, dgamma: number, dbeta: number, rows: number, channels: number, epsilon: number,
  ): void;
  /** In place: y = act(y + bias) per channel; hasBias and relu are 0 or 1. */
  biasActivation(heap: ArrayBuffer, y: number, bias: number, rows: number, channels: number, hasBias: number, relu: number): void;
  /** Inverted dropout: y = x * multiplier, multiplier 0 or 1 / (1 - rate) per element, drawn from the 32-bit seed. */
  dropout(heap: ArrayBuffer, x: number, y: number, multiplier: number, size: number, rate: number, seed: number): void;
  /** y = tanh(x) (kind 0), leaky ReLU with slope alpha (kind 1) or sigmoid(x) (kind 2). */
  activation(heap: ArrayBuffer, x: number, y: number, size: number, kind: number, alpha: number): void;
  /** dx from dy and v: tanh (kind 0) and sigmoid (1) from their output y, leaky ReLU (2) from its input x. */
  activationGrad(heap: ArrayBuffer, dy: number, v: number, dx: number, size: number, kind: number, alpha: number): void;
  avgPoolGrad(heap: ArrayBuffer, dy: number, dx: number, ...shape: number[]): void;
  adamUpdate(
    heap: ArrayBuffer, param: number, grad: number, m: number, v: number, paramOut: number, mOut: number, vOut: number,
    size: number, learningRate: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    epsilon: number, decayFactor: number,
    oneMinusAccBeta1: number, oneMinusAccBeta2: number,
  ): void;
  /** floats per SIMD vector the build uses: 16 with AVX-512, 8 with AVX2. */
  vectorFloats: number;
}

export type NativeLoad = { kernels: NativeKernels; reason?: undefined } | { kernels: null; reason: string };

let cached: NativeLoad | null = null;

export function loadNativeKernels(log: (message: string) => void = () => {}): NativeLoad {
  if (cached) return cached;
  const build = buildNativeKernels({ log });
  if (!build.built || !build.path) {
    cached = { kernels: null, reason: build.reason ?? "not built" };
  } else {
    try {
      cached = { kernels: createRequire(import.meta.url)(build.path) as NativeKernels };
    } catch (error) {
      cached = { kernels: null, reason: `could not load ${build.path}: ${(error as Error).message}` };
    }
  }
  return cached;
}
