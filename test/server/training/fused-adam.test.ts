// The fused Adam-family update against tf.train.adam (the reference arithmetic) and across backends: the native
// wasm kernel must match the cpu backend's op-by-op version, with and without decoupled weight decay.
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initTrainingBackend } from "../../../server/training/backend";
import { ADAM_UPDATE_KERNEL, adamUpdate, type AdamHyper, type AdamState } from "../../../server/training/fused-adam";

const SIZE = 1000;
const hyper = (step: number, weightDecay = 0): AdamHyper => ({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay, step });

function values(seed: number, scale = 1): Float32Array {
  const out = new Float32Array(SIZE);
  for (let i = 0; i < SIZE; i++) out[i] = scale * Math.sin(seed * 7.1 + i * 0.37) * Math.cos(i * 1.3 + seed);
  return out;
}

/** Runs `steps` fused updates on `backend` from fixed inputs; returns the final parameter. */
async function runFused(backend: string, steps: number, weightDecay: number, gradScale = 1): Promise<Float32Array> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  let state: AdamState = { param: tf.tensor1d(values(0)), m: tf.zeros([SIZE]), v: tf.zeros([SIZE]) };
  for (let step = 1; step <= steps; step++) {
    const grad = tf.tensor1d(values(step, gradScale));
    const next = adamUpdate(state.param, grad, state.m, state.v, hyper(step, weightDecay));
    tf.dispose([grad, state.param, state.m, state.v]);
    state = next;
  }
  const out = (await state.param.data()) as Float32Array;
  tf.dispose([state.param, state.m, state.v]);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

function worstRelative(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]) / Math.max(1e-6, Math.abs(expected[i]));
    if (!(diff <= worst)) worst = diff;
  }
  return worst;
}

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

afterAll(async () => {
  await tf.setBackend("wasm");
});

describe("adamUpdate", () => {
  it("matches tf.train.adam step for step when there is no weight decay", async () => {
    await tf.setBackend("cpu");
    const variable = tf.variable(tf.tensor1d(values(0)));
    const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    for (let step = 1; step <= 5; step++) {
      const grad = tf.tensor1d(values(step));
      optimizer.applyGradients([{ name: variable.name, tensor: grad }]);
      grad.dispose();
    }
    const reference = (await variable.data()) as Float32Array;
    tf.dispose([variable]);
    optimizer.dispose();
    expect(worstRelative(await runFused("cpu", 5, 0), reference)).toBeLessThan(1e-5);
  });

  it("decays by exactly (1 - lr*wd) per step when the gradient is zero", async () => {
    const steps = 4;
    const decayed = await runFused("cpu", steps, 0.1, 0);
    const start = values(0);
    const expected = start.map((p) => p * (1 - 0.01 * 0.1) ** steps);
    expect(worstRelative(decayed, expected)).toBeLessThan(1e-6);
  });

  it.each([0, 0.05])("runs natively on wasm and matches the cpu backend (weight decay %s)", async (weightDecay) => {
    expect(tf.getKernel(ADAM_UPDATE_KERNEL, "wasm"), "the native library is built in CI").toBeDefined();
    const onCpu = await runFused("cpu", 6, weightDecay);
    const onWasm = await runFused("wasm", 6, weightDecay);
    expect(worstRelative(onWasm, onCpu)).toBeLessThan(1e-5);
  });
});
