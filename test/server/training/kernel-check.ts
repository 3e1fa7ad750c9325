// Shared helpers of the kernel tests that compare our wasm/native kernels with the cpu backend: reproducible random
// inputs (the run's seed is printed on failure) and a closeness check relative to 1 + |expected|.
import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";

export const TOLERANCE = 1e-5;
export const runSeed = Date.now() % 1_000_000;
let seedCounter = runSeed;

export function randomValues(size: number, low = -1, high = 1): Float32Array {
  let state = seedCounter++ >>> 0; // mulberry32
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = low + (high - low) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

export type Values = { values: ArrayLike<number>; shape: number[] };

export function expectClose(actual: Values, expected: Values, label: string, tolerance = TOLERANCE): void {
  expect(actual.shape, label).toEqual(expected.shape);
  let worst = 0;
  for (let i = 0; i < expected.values.length; i++) {
    const diff = Math.abs(actual.values[i] - expected.values[i]) / (1 + Math.abs(expected.values[i]));
    if (!(diff <= worst)) worst = diff; // NaN wins
  }
  expect(worst, `${label} (seed ${runSeed})`).toBeLessThan(tolerance);
}

export const read = (tensors: tf.Tensor[]): Values[] => tensors.map((t) => ({ values: t.dataSync().slice(), shape: t.shape }));

export const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
