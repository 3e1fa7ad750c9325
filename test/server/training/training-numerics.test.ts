// A full training step (forward, backward, optimizer update) on the wasm backend with our kernels must match the
// reference cpu backend: every optimizer on models that together use every layer and activation the templates
// offer, from identical initial weights and batches. Dropout is left out (its masks are random per backend).
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Params } from "../../../search/parameters";
import type { ImageSet } from "../../../server/datasets/fashion-mnist";
import { initTrainingBackend } from "../../../server/training/backend";
import { ACTIVATIONS } from "../../../server/training/cnn-parameters";
import { disposeBatch, lossAndCorrect, makeBatch } from "../../../server/training/image-batches";
import { withRegularization } from "../../../server/training/layer-blocks";
import { modelBuilderFor } from "../../../server/training/model-templates";
import { createOptimizer } from "../../../server/training/optimizers";
import { LOSSES, OPTIMIZERS, type LossName, type OptimizerName } from "../../../server/training/training-parameters";
import type { TemplateName } from "../../../server/training/types";

const STEPS = 2; // the second step exercises the optimizers' state (moments, accumulators)
const BATCH = 16;
const TOLERANCE = 1e-5;
/** Weights that start at 0 (biases, batch-norm beta and moving mean) are still ~1e-3 after two small steps; their
 *  error is measured against this scale (an absolute 1e-7, one float32 ulp at unit scale), not their own size. */
const WEIGHT_SCALE_FLOOR = 1e-2;

/** A seeded stand-in for a few Fashion-MNIST images: structured enough to give every unit a gradient. */
function syntheticImages(count: number): ImageSet {
  const images = new Uint8Array(count * 28 * 28);
  let state = 12345;
  for (let i = 0; i < images.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const pixel = i % 784;
    const blob = Math.sin((pixel % 28) / 4 + Math.floor(i / 784)) * Math.cos(Math.floor(pixel / 28) / 5);
    images[i] = Math.max(0, Math.min(255, Math.round(128 + 100 * blob + ((state >>> 24) - 128) / 4)));
  }
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 7) % 10);
  return { images, labels, count, height: 28, width: 28 };
}

interface ModelCase {
  label: string;
  template: TemplateName;
  params: Params;
}

/** One model per activation; the structural options rotate so that together they use every layer kind. */
function modelCases(): ModelCase[] {
  return ACTIVATIONS.map((activation, i): ModelCase => {
    if (i % 4 === 3) {
      return { label: `mlp ${activation}`, template: "mlp", params: { activation, dense_layers: 2, units: 12, batch_norm: i % 2 === 1, l1: 0.001 } };
    }
    const params: Params = {
      activation,
      conv_layers: 2,
      filters: 3,
      units: 10,
      kernel_size: [3, 5, 2][i % 3],
      padding: i % 2 === 0 ? "same" : "valid",
      strides: i === 2 ? 2 : 1,
      batch_norm: i % 2 === 1,
      pooling: (["max", "avg", "none"] as const)[i % 3],
      head: i % 3 === 1 ? "global_average" : "flatten",
      l2: i % 2 === 0 ? 0.01 : 0,
    };
    return { label: `cnn ${activation} ${JSON.stringify(params)}`, template: "cnn", params };
  });
}

interface Trace {
  /** Per step: the loss and every trainable variable's gradient. */
  steps: { loss: number; grads: Float32Array[] }[];
  /** Every weight (trainable or not, e.g. batch-norm statistics) after the last step. */
  weights: { name: string; values: Float32Array }[];
}

/**
 * Builds the model on `backend` from `initial` weights and trains STEPS batches, recording losses and gradients.
 * With `replay`, each step applies the given (reference) gradients instead of its own: adaptive optimizers divide by
 * running gradient magnitudes, so a gradient that is ~0 on one backend and 1e-10 on the other (float32 rounding in
 * any kernel) moves its weight by ~lr * 1e-3 there. Their check is that each backend computes the same gradients
 * from the same weights and the same update from the same gradients.
 */
async function train(backend: string, model: ModelCase, optimizerName: OptimizerName, loss: LossName, initial: Float32Array[], replay?: Trace): Promise<Trace> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const net = modelBuilderFor(model.template)(model.params, 99, { inputShape: [28, 28, 1], numClasses: 10 });
  const start = net.getWeights().map((w, i) => tf.tensor(initial[i], w.shape));
  net.setWeights(start); // assign shares the data; our handles can go
  tf.dispose(start);
  const optimizer = createOptimizer(optimizerName, 0.01, { momentum: 0.9, weightDecay: 0.05 });
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const set = syntheticImages(BATCH * STEPS);
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  const trace: Trace = { steps: [], weights: [] };
  for (let step = 0; step < STEPS; step++) {
    const batch = makeBatch(set, order, step * BATCH, (step + 1) * BATCH, 10);
    const { value, grads } = tf.variableGrads(
      () => withRegularization(net, tf.div(lossAndCorrect(net.apply(batch.xs, { training: true }) as tf.Tensor, batch, loss).lossSum, BATCH) as tf.Scalar),
      variables,
    );
    trace.steps.push({ loss: value.dataSync()[0], grads: variables.map((v) => grads[v.name].dataSync().slice() as Float32Array) });
    const applied = replay ? Object.fromEntries(variables.map((v, i) => [v.name, tf.tensor(replay.steps[step].grads[i], v.shape)])) : grads;
    optimizer.applyGradients(applied);
    tf.dispose([value, ...Object.values(grads), ...(replay ? Object.values(applied) : [])]);
    disposeBatch(batch);
  }
  trace.weights = net.getWeights().map((w, i) => ({ name: net.weights[i].name, values: w.dataSync().slice() as Float32Array }));
  net.dispose();
  optimizer.dispose();
  expect(tf.memory().numTensors, `${backend} leaked tensors`).toBe(before);
  return trace;
}

/** Largest |a - b| of a tensor relative to its largest |b| (elementwise ratios explode where values cross 0), or to
 *  `floor` when that is larger. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 0): number {
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= diff)) diff = d; // NaN wins
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

const ADAPTIVE: readonly OptimizerName[] = ["adam", "adamw", "rmsprop", "adagrad"];

async function compare(model: ModelCase, optimizerName: OptimizerName, loss: LossName): Promise<void> {
  await tf.setBackend("cpu");
  const seedModel = modelBuilderFor(model.template)(model.params, 99, { inputShape: [28, 28, 1], numClasses: 10 });
  const initial = seedModel.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  seedModel.dispose();
  const reference = await train("cpu", model, optimizerName, loss, initial);
  const wasm = await train("wasm", model, optimizerName, loss, initial, ADAPTIVE.includes(optimizerName) ? reference : undefined);
  const label = `${model.label} / ${optimizerName} / ${loss}`;
  const check = (what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 0) =>
    expect(relativeError(actual, expected, floor), `${label}: ${what}`).toBeLessThan(TOLERANCE);
  reference.steps.forEach((step, s) => {
    check(`loss: step ${s + 1}`, [wasm.steps[s].loss], [step.loss]);
    step.grads.forEach((grad, g) => check(`grad: step ${s + 1} ${reference.weights[g]?.name}`, wasm.steps[s].grads[g], grad));
  });
  reference.weights.forEach((expected, i) => {
    expect(expected.values.every(Number.isFinite), `${label}: ${expected.name} finite`).toBe(true);
    check(`weight: ${expected.name}`, wasm.weights[i].values, expected.values, WEIGHT_SCALE_FLOOR);
  });
}

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

afterAll(async () => {
  await initTrainingBackend();
});

describe("a training step on wasm matches cpu", () => {
  for (const optimizerName of OPTIMIZERS) {
    it(`with ${optimizerName} on every layer and activation`, async () => {
      for (const model of modelCases()) await compare(model, optimizerName, "sparse_categorical_crossentropy");
    });
  }

  it("with every loss", async () => {
    const [model] = modelCases();
    for (const loss of LOSSES) await compare(model, "adam", loss);
  });
});
