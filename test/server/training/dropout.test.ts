// The native dropout kernel and layer: the mask's statistics (kept fraction, independence across seeds and across
// elements), the arithmetic against TF.js's on cpu given the same multiplier (forward and gradient), that the
// gradient reuses the forward's mask, determinism for a given seed, odd shapes, and the layer (training uses the
// kernel, inference is the identity, it serialises as the stock Dropout). The project seeds no dropout today
// (layer-blocks.ts: a seeded tfjs dropout repeats its mask every step), so each call draws a fresh seed.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initTrainingBackend } from "../../../server/training/backend";
import { dropout } from "../../../server/training/dropout-layer";
import { DROPOUT_KERNEL } from "../../../server/training/native/dropout-kernel";
import { loadNativeKernels } from "../../../server/training/native/native-kernels";
import { expectClose, randomValues, read, runSeed, sizeOf } from "./kernel-check";

const native = loadNativeKernels();
const unavailable = !native.kernels;

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

/** [y, multiplier] of the kernel on wasm. */
function runDropout(x: Float32Array, shape: number[], rate: number, seed: number): { y: Float32Array; m: Float32Array } {
  const before = tf.memory().numTensors;
  const input = tf.tensor(x, shape);
  const [y, m] = tf.engine().runKernel(DROPOUT_KERNEL, { x: input }, { rate, seed }) as tf.Tensor[];
  const out = { y: y.dataSync() as Float32Array, m: m.dataSync() as Float32Array };
  tf.dispose([input, y, m]);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** |observed - expected| of a kept fraction over n Bernoulli(p) draws, in standard deviations. */
const sigmas = (kept: number, n: number, p: number) => Math.abs(kept / n - p) / Math.sqrt((p * (1 - p)) / n);

it("the dropout kernel is registered with the native library (required in CI)", () => {
  if (process.env.CI === "true") expect(native.reason).toBeUndefined();
  expect(tf.getKernel(DROPOUT_KERNEL, "wasm") !== undefined).toBe(!unavailable);
});

describe.skipIf(unavailable)("native dropout", () => {
  beforeAll(async () => {
    await tf.setBackend("wasm");
  });

  it.each([0.05, 0.2, 0.5, 0.95])("rate %s: multiplier 0 or float32(1 / (1 - rate)), y = x * multiplier, kept fraction", (rate) => {
    const n = 200_003;
    const x = randomValues(n, -2, 2);
    const { y, m } = runDropout(x, [n], rate, (runSeed * 7 + 1) >>> 0);
    const keep = Math.fround(1 - rate);
    const scale = Math.fround(1 / keep);
    let kept = 0;
    let keptEven = 0;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      if ((m[i] !== 0 && m[i] !== scale) || y[i] !== Math.fround(x[i] * m[i])) wrong++;
      if (m[i] !== 0) {
        kept++;
        if (i % 2 === 0) keptEven++;
      }
    }
    expect(wrong, "elements whose multiplier or y is off").toBe(0);
    // 5 standard deviations: a false alarm about once in 3.5 million runs.
    expect(sigmas(kept, n, 1 - rate), `kept ${kept} of ${n} (seed ${runSeed})`).toBeLessThan(5);
    expect(sigmas(keptEven, Math.ceil(n / 2), 1 - rate), "even elements").toBeLessThan(5);
  });

  it("the same seed draws the same mask; other seeds and neighbouring elements are independent", () => {
    const n = 100_000;
    const rate = 0.3;
    const x = new Float32Array(n).fill(1);
    const a = runDropout(x, [n], rate, 12345).m;
    expect(runDropout(x, [n], rate, 12345).m).toEqual(a);
    const expectedAgreement = 0.7 * 0.7 + 0.3 * 0.3; // two independent masks agree this often
    for (const other of [12346, 0, 4294967295]) {
      const b = runDropout(x, [n], rate, other).m;
      let agree = 0;
      for (let i = 0; i < n; i++) if ((a[i] === 0) === (b[i] === 0)) agree++;
      expect(sigmas(agree, n, expectedAgreement), `seed 12345 vs ${other}`).toBeLessThan(5);
    }
    let agreeNext = 0;
    for (let i = 0; i + 1 < n; i++) if ((a[i] === 0) === (a[i + 1] === 0)) agreeNext++;
    expect(sigmas(agreeNext, n - 1, expectedAgreement), "element i vs i + 1").toBeLessThan(5);
  });

  it.each([[1], [3, 5, 7], [2, 13, 13, 32], [64, 128]])("shape %j: forward and gradient match TF.js on cpu with the same mask", async (...shape) => {
    const rate = 0.25;
    const x = randomValues(sizeOf(shape), -3, 3);
    const w = randomValues(sizeOf(shape));
    const seed = (runSeed + sizeOf(shape)) >>> 0;
    // Ours: y and dL/dx of L = sum(y * w) from one call, so the gradient is the forward's own; the mask again from
    // a second call with the same seed (deterministic).
    await tf.setBackend("wasm");
    const [y, dx, m] = tf.tidy(() => {
      const input = tf.tensor(x, shape);
      const weights = tf.tensor(w, shape);
      let forward: tf.Tensor | null = null;
      const { value, grad } = tf.valueAndGrad((a: tf.Tensor) => {
        const [out] = tf.engine().runKernel(DROPOUT_KERNEL, { x: a }, { rate, seed }) as tf.Tensor[];
        forward = tf.keep(out);
        return tf.sum(tf.mul(out, weights)) as tf.Scalar;
      })(input);
      value.dispose();
      const [, mask] = tf.engine().runKernel(DROPOUT_KERNEL, { x: input }, { rate, seed }) as tf.Tensor[];
      return [forward!, grad, mask];
    });
    const ours = read([y, dx, m]);
    tf.dispose([y, dx, m]);
    // TF.js's dropout is x * multiplier, differentiated as a Mul by a constant: the same on cpu with our mask.
    await tf.setBackend("cpu");
    const cpu = tf.tidy(() => {
      const input = tf.tensor(x, shape);
      const mask = tf.tensor(ours[2].values as Float32Array, shape);
      const weights = tf.tensor(w, shape);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.mul(a, mask), weights)))(input);
      return [tf.mul(input, mask), g];
    });
    const expected = read(cpu);
    tf.dispose(cpu);
    await tf.setBackend("wasm");
    expectClose(ours[0], expected[0], `y ${JSON.stringify(shape)}`);
    expectClose(ours[1], expected[1], `dx ${JSON.stringify(shape)}`);
    // Backward used the forward's mask: dx is zero exactly where y was dropped (x and w are never 0 here).
    for (let i = 0; i < x.length; i++) {
      if ((ours[0].values[i] === 0) !== (ours[1].values[i] === 0)) throw new Error(`element ${i}: y ${ours[0].values[i]}, dx ${ours[1].values[i]}`);
    }
  });

  it("the layer: training runs the kernel with a fresh mask per call, inference is the identity, stock serialisation", async () => {
    await tf.setBackend("wasm");
    const model = tf.sequential({ layers: [dropout({ rate: 0.4, inputShape: [50, 20] })] });
    const x = tf.ones([8, 50, 20]);
    const profile = await tf.profile(() => model.apply(x, { training: true }) as tf.Tensor);
    expect(profile.kernelNames).toContain(DROPOUT_KERNEL);
    expect(profile.kernelNames).not.toContain("Floor");
    const first = Array.from((profile.result as tf.Tensor).dataSync());
    const second = Array.from(tf.tidy(() => (model.apply(x, { training: true }) as tf.Tensor).dataSync()));
    expect(first).not.toEqual(second); // 8000 elements: equal masks would be a repeated seed
    const mean = first.reduce((s, v) => s + v, 0) / first.length;
    expect(Math.abs(mean - 1), "inverted dropout keeps the mean").toBeLessThan(0.05);
    tf.dispose(profile.result as tf.Tensor);
    const inferred = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    expect(Array.from(inferred).every((v) => v === 1)).toBe(true);
    const topology = model.toJSON(null, false) as { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } };
    const stock = tf.sequential({ layers: [tf.layers.dropout({ rate: 0.4, inputShape: [50, 20] })] });
    const stockTopology = stock.toJSON(null, false) as typeof topology;
    expect(topology.config.layers[0].class_name).toBe("Dropout");
    expect({ ...topology.config.layers[0].config, name: "" }).toEqual({ ...stockTopology.config.layers[0].config, name: "" });
    // A noise shape is TF.js's own code (the kernel draws one value per element).
    const shaped = tf.sequential({ layers: [dropout({ rate: 0.5, noiseShape: [8, 1, 20], inputShape: [50, 20] })] });
    const stockProfile = await tf.profile(() => shaped.apply(x, { training: true }) as tf.Tensor);
    expect(stockProfile.kernelNames).not.toContain(DROPOUT_KERNEL);
    tf.dispose([x, stockProfile.result as tf.Tensor]);
    [model, stock, shaped].forEach((m) => m.dispose());
  });
});
