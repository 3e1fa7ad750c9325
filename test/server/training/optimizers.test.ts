// The optimizers a trial can choose: AdamW's decoupled decay is exactly (1 - lr * wd) per step, adam / adamw with
// no decay step exactly like tf.train.adam, the sgd family uses the momentum parameter, schedules can change any
// optimizer's rate, and nothing leaks.
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdamWOptimizer } from "../../../server/training/adamw-optimizer";
import { initTrainingBackend } from "../../../server/training/backend";
import { createOptimizer, learningRateOf, setLearningRate } from "../../../server/training/optimizers";
import { OPTIMIZERS } from "../../../server/training/training-parameters";

const SIZE = 257;
const start = () => Float32Array.from({ length: SIZE }, (_, i) => Math.sin(i * 0.7) * (1 + (i % 5)));
const gradient = (step: number) => Float32Array.from({ length: SIZE }, (_, i) => Math.cos(i * 0.31 + step) * 0.1);

/** A variable made in a tidy, so the tensor it was made from is freed. */
const variableOf = (values: Float32Array) => tf.tidy(() => tf.variable(tf.tensor1d(values)));

/** Applies `steps` gradients (from `grad`) to one variable with `optimizer` and returns its values after each step. */
function run(optimizer: tf.Optimizer, steps: number, grad: (step: number) => Float32Array): Float32Array[] {
  const variable = variableOf(start());
  const history: Float32Array[] = [];
  for (let step = 1; step <= steps; step++) {
    const g = tf.tensor1d(grad(step));
    optimizer.applyGradients({ [variable.name]: g });
    g.dispose();
    history.push(variable.dataSync().slice() as Float32Array);
  }
  variable.dispose();
  optimizer.dispose();
  return history;
}

/** Largest elementwise relative error. */
function worstRelative(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1e-30, Math.abs(expected[i]));
    if (!(error <= worst)) worst = error;
  }
  return worst;
}

/** Largest |a - b| over the largest |b|. */
function scaledError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= diff)) diff = d;
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

afterAll(async () => {
  await initTrainingBackend();
});

describe.each(["cpu", "wasm"])("AdamW on %s", (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it("decays each weight by exactly (1 - lr * wd) per step: a zero gradient gives p0 * (1 - lr * wd)^t", () => {
    const lr = 0.01;
    const wd = 0.3;
    const history = run(new AdamWOptimizer({ learningRate: lr, weightDecay: wd }), 50, () => new Float32Array(SIZE));
    // float32 all the way: the factor as TF.js makes a float32 scalar, each product rounded to float32.
    const factor = Math.fround(1 - lr * wd);
    const expected = start();
    history.forEach((actual, t) => {
      for (let i = 0; i < SIZE; i++) expected[i] = Math.fround(expected[i] * factor);
      expect(worstRelative(actual, expected), `step ${t + 1}`).toBeLessThanOrEqual(2 ** -23);
    });
    // And the closed form, up to 50 float32 roundings.
    const closed = Float32Array.from(start(), (p) => p * (1 - lr * wd) ** 50);
    expect(worstRelative(history[49], closed)).toBeLessThan(50 * 2 ** -24);
  });

  it("with weight decay 0 steps like tf.train.adam, step for step (adam is that optimizer)", () => {
    const reference = run(tf.train.adam(0.01), 20, gradient);
    for (const optimizer of [new AdamWOptimizer({ learningRate: 0.01, weightDecay: 0 }), createOptimizer("adam", 0.01)]) {
      const ours = run(optimizer, 20, gradient);
      // The same ops on cpu give the same bits; the native fused kernel on wasm may round differently (a last-bit
      // difference in a near-zero element is a large elementwise ratio, so compare to the vector's scale).
      if (backend === "cpu") ours.forEach((values, t) => expect(worstRelative(values, reference[t]), `step ${t + 1}`).toBe(0));
      else ours.forEach((values, t) => expect(scaledError(values, reference[t]), `step ${t + 1}`).toBeLessThan(1e-6));
    }
  });

  it("applies the decay before the Adam step, with the decoupled (not L2) arithmetic", () => {
    const lr = 0.05;
    const wd = 0.1;
    const [decayed] = run(new AdamWOptimizer({ learningRate: lr, weightDecay: wd }), 1, gradient);
    const [plain] = run(tf.train.adam(lr), 1, gradient);
    const p0 = start();
    // Adam's first step from p0 is plain - p0; AdamW's is p0 * (1 - lr * wd) plus that same step.
    const expected = Float32Array.from(p0, (p, i) => p * (1 - lr * wd) + (plain[i] - p));
    expect(worstRelative(decayed, expected)).toBeLessThan(1e-5);
  });

  it("keeps its moments across steps and can hand them over (getWeights / setWeights)", async () => {
    const first = new AdamWOptimizer({ learningRate: 0.01, weightDecay: 0.01 });
    const variable = variableOf(start());
    const g = tf.tensor1d(gradient(1));
    first.applyGradients({ [variable.name]: g });
    const saved = await first.getWeights();
    expect(saved.map((w) => w.name)).toEqual(["iter", `${variable.name}/m`, `${variable.name}/v`]);
    const second = new AdamWOptimizer({ learningRate: 0.01, weightDecay: 0.01 });
    await second.setWeights(saved.map((w) => ({ name: w.name, tensor: w.tensor.clone() })));
    expect(second.iterations).toBe(1);
    expect(Array.from((await second.getWeights())[1].tensor.dataSync())).toEqual(Array.from(saved[1].tensor.dataSync()));
    tf.dispose([variable, g, saved[0].tensor]);
    first.dispose();
    second.dispose();
  });
});

describe("createOptimizer", () => {
  it("builds every optimizer the parameters offer, each of which lowers a quadratic and leaks nothing", () => {
    for (const name of OPTIMIZERS) {
      const before = tf.memory().numTensors;
      const optimizer = createOptimizer(name, 0.05);
      const w = variableOf(Float32Array.of(3, -2, 1));
      const loss = () => tf.sum(tf.square(w)) as tf.Scalar;
      const initial = tf.tidy(() => loss().dataSync()[0]);
      for (let i = 0; i < 10; i++) tf.dispose(optimizer.minimize(loss, true) ?? []);
      const after = tf.tidy(() => loss().dataSync()[0]);
      expect(after, name).toBeLessThan(initial);
      w.dispose();
      optimizer.dispose();
      expect(tf.memory().numTensors, `${name} leaked`).toBe(before);
    }
  });

  it("uses momentum for momentum and nesterov, never centers rmsprop, and takes weight_decay for adamw only", () => {
    const config = (name: (typeof OPTIMIZERS)[number]) => {
      const optimizer = createOptimizer(name, 0.1, { momentum: 0.8, weightDecay: 0.2 });
      const c = optimizer.getConfig();
      optimizer.dispose();
      return c;
    };
    expect(config("momentum")).toMatchObject({ momentum: 0.8, useNesterov: false });
    expect(config("nesterov")).toMatchObject({ momentum: 0.8, useNesterov: true });
    expect(config("rmsprop")).toMatchObject({ centered: false });
    expect(config("adamw")).toMatchObject({ weightDecay: 0.2 });
    expect(config("adam")).toMatchObject({ weightDecay: 0 });
    expect(() => createOptimizer("lion" as never, 0.1)).toThrow(/unknown optimizer 'lion'/);
  });

  it("lets a schedule change the learning rate of every optimizer between steps", () => {
    for (const name of OPTIMIZERS) {
      const optimizer = createOptimizer(name, 0.1);
      setLearningRate(optimizer, 0.025);
      expect(learningRateOf(optimizer), name).toBe(0.025);
      optimizer.dispose();
    }
    // sgd steps with a cached scalar: the new rate must be the one used.
    const sgd = createOptimizer("sgd", 1);
    setLearningRate(sgd, 0.5);
    const [after] = run(sgd, 1, () => new Float32Array(SIZE).fill(1));
    expect(worstRelative(after, Float32Array.from(start(), (p) => p - 0.5))).toBeLessThan(1e-6);
  });
});
