// The fused training-mode batch norm (native kernels on wasm) against TF.js's own composition on the cpu backend:
// forward (y, batch mean, variance), gradients through tf.grads (also through the statistics), odd shapes, the
// layer's moving averages and inference, its serialisation as the stock BatchNormalization, and the FusedConv2D
// the conv before it runs. Every comparison is within 1e-5 of the cpu result, relative to 1 + |value|.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initTrainingBackend } from "../../../server/training/backend";
import { batchNormalization } from "../../../server/training/batch-norm-layer";
import { BATCH_NORM_TRAIN_KERNEL } from "../../../server/training/native/batch-norm-kernels";
import { loadNativeKernels } from "../../../server/training/native/native-kernels";
import { expectClose, randomValues, read, type Values } from "./kernel-check";

const EPSILON = 1e-3;

interface Case {
  shape: number[];
  low: number;
  high: number;
}

// N=1, C=1, C=3, odd H*W, rank 2 (dense) and 3, one row, a mean far from 0 (the variance must not cancel), and a
// batch the size of the reference CNN's second block. The far mean is 10 (std 0.29): at 40 one float32 ulp of x
// (3.8e-6) already moves y by ~1.3e-5, so cpu's own rounding failed the 1e-5 bar in about a third of runs, while at
// 10 a naive float32 E[x^2] - E[x]^2 still loses up to ~1e-3 of the variance (y off by ~5e-4).
const CASES: Case[] = [
  { shape: [1, 5, 7, 3], low: -1, high: 1 },
  { shape: [4, 3, 3, 1], low: -2, high: 3 },
  { shape: [3, 9, 7, 5], low: 0, high: 4 },
  { shape: [1, 1, 1, 4], low: -1, high: 1 },
  { shape: [7, 6], low: -1, high: 1 },
  { shape: [2, 5, 3], low: -1, high: 1 },
  { shape: [5, 4, 4, 3], low: 10, high: 11 },
  { shape: [16, 11, 11, 64], low: -1, high: 1 },
];

interface Inputs {
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  /** Loss weights for y, mean and variance: the gradient reaches x through all three outputs. */
  wy: Float32Array;
  wMean: Float32Array;
  wVariance: Float32Array;
}

function inputsFor(c: Case): Inputs {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const channels = c.shape[c.shape.length - 1];
  return {
    x: randomValues(size, c.low, c.high),
    gamma: randomValues(channels, 0.5, 1.5),
    beta: randomValues(channels),
    wy: randomValues(size),
    wMean: randomValues(channels),
    wVariance: randomValues(channels),
  };
}

/** [y, mean, variance] the way tfjs-layers computes them in training (moments, then batchNorm). */
function composed(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor[] {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const y = tf.batchNorm(x, mean, variance, beta, gamma, EPSILON);
  return [y, mean, variance];
}

const fused = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor[] =>
  tf.engine().runKernel(BATCH_NORM_TRAIN_KERNEL, { x, gamma, beta }, { epsilon: EPSILON }) as tf.Tensor[];

/** Forward outputs and the gradients of a loss over all three outputs with respect to x, gamma and beta. */
async function forwardAndGradients(backend: string, c: Case, v: Inputs, op: typeof composed): Promise<Values[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const channels = c.shape[c.shape.length - 1];
  const out = tf.tidy(() => {
    const x = tf.tensor(v.x, c.shape);
    const gamma = tf.tensor(v.gamma, [channels]);
    const beta = tf.tensor(v.beta, [channels]);
    const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const [y, mean, variance] = op(a, g, b);
      return tf.addN([
        tf.sum(tf.mul(y, tf.tensor(v.wy, c.shape))),
        tf.sum(tf.mul(mean, tf.tensor(v.wMean, [channels]))),
        tf.sum(tf.mul(variance, tf.tensor(v.wVariance, [channels]))),
      ]) as tf.Scalar;
    };
    return [...op(x, gamma, beta), ...tf.grads(loss)([x, gamma, beta])];
  });
  const result = read(out);
  tf.dispose(out);
  expect(tf.memory().numTensors, `${backend} leaked tensors`).toBe(before);
  return result;
}

const native = loadNativeKernels();
const unavailable = !native.kernels;

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

it("the fused batch-norm kernels are registered with the native library (required in CI)", () => {
  if (process.env.CI === "true") expect(native.reason).toBeUndefined();
  expect(tf.getKernel(BATCH_NORM_TRAIN_KERNEL, "wasm") !== undefined).toBe(!unavailable);
});

describe.skipIf(unavailable)("fused batch norm matches cpu", () => {
  const NAMES = ["y", "mean", "variance", "dx", "dgamma", "dbeta"];

  it.each(CASES)("forward and gradients for $shape in [$low, $high]", async (c) => {
    const v = inputsFor(c);
    const expected = await forwardAndGradients("cpu", c, v, composed);
    const actual = await forwardAndGradients("wasm", c, v, fused);
    expected.forEach((e, i) => expectClose(actual[i], e, `${NAMES[i]} ${JSON.stringify(c)}`));
  });

  it("the layer: training output, moving averages (momentum 0.99), inference, and stock serialisation", async () => {
    const shape = [6, 5, 3, 4];
    const batches = [randomValues(6 * 5 * 3 * 4, -1, 2), randomValues(6 * 5 * 3 * 4, 0, 3)];
    const run = async (backend: string, make: typeof batchNormalization) => {
      await tf.setBackend(backend);
      const model = tf.sequential({ layers: [make({ inputShape: [5, 3, 4] })] });
      const inputs = batches.map((b) => tf.tensor(b, shape));
      const trained = read(inputs.map((x) => model.apply(x, { training: true }) as tf.Tensor));
      const weights = read(model.getWeights());
      const inferred = read([model.predict(inputs[0]) as tf.Tensor]);
      tf.dispose(inputs);
      return { model, outputs: [...trained, ...weights, ...inferred] };
    };
    const stock = await run("cpu", (args) => tf.layers.batchNormalization(args));
    const ours = await run("wasm", batchNormalization);
    stock.outputs.forEach((e, i) => expectClose(ours.outputs[i], e, `layer output ${i}`));
    const x = tf.tensor(batches[0], shape);
    const profile = await tf.profile(() => ours.model.apply(x, { training: true }) as tf.Tensor);
    expect(profile.kernelNames, "training runs the fused kernel").toContain(BATCH_NORM_TRAIN_KERNEL);
    expect(profile.kernelNames).not.toContain("FusedBatchNorm");
    tf.dispose(profile.result as tf.Tensor);
    const inferred = read([ours.model.predict(x) as tf.Tensor])[0]; // the statistics have moved once more

    // The saved model names the standard layer, so stock TF.js (here on cpu, in place of a clean process) loads it.
    const topology = ours.model.toJSON(null, false) as { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } };
    const stockTopology = stock.model.toJSON(null, false) as typeof topology;
    expect(topology.config.layers[0].class_name).toBe("BatchNormalization");
    expect({ ...topology.config.layers[0].config, name: "" }).toEqual({ ...stockTopology.config.layers[0].config, name: "" });
    let saved: tf.io.ModelArtifacts | null = null;
    await ours.model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } })));
    x.dispose();
    await tf.setBackend("cpu");
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const again = tf.tensor(batches[0], shape);
    expectClose(read([reloaded.predict(again) as tf.Tensor])[0], inferred, "reloaded inference");
    again.dispose();
    reloaded.dispose();
    stock.model.dispose();
    ours.model.dispose();
  });
});

describe.skipIf(unavailable)("FusedConv2D (the conv before batch norm) matches cpu", () => {
  it.each([
    { shape: [3, 9, 7, 2], filter: [3, 3, 2, 5], pad: "valid", bias: false, activation: "linear" },
    { shape: [1, 8, 8, 1], filter: [3, 3, 1, 4], pad: "same", bias: true, activation: "linear" },
    { shape: [2, 7, 7, 3], filter: [2, 2, 3, 3], pad: "same", bias: true, activation: "relu" },
    { shape: [2, 6, 5, 3], filter: [3, 3, 3, 1], pad: "valid", bias: false, activation: "relu" },
    { shape: [2, 6, 6, 2], filter: [3, 3, 2, 3], pad: "same", bias: true, activation: "elu" },
  ] as const)("$shape * $filter pad $pad bias $bias $activation", async (c) => {
    const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
    const xValues = randomValues(size(c.shape));
    const filterValues = randomValues(size(c.filter));
    const biasValues = randomValues(c.filter[3]);
    const dyValues = randomValues(c.shape[0] * c.shape[1] * c.shape[2] * c.filter[3]);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const out = tf.tidy(() => {
        const x = tf.tensor4d(xValues, [...c.shape]);
        const filter = tf.tensor4d(filterValues, [...c.filter]);
        const bias = c.bias ? tf.tensor1d(biasValues) : undefined;
        const conv = (a: tf.Tensor, f: tf.Tensor) =>
          tf.fused.conv2d({ x: a as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: c.pad, bias, activation: c.activation });
        const y = conv(x, filter) as tf.Tensor4D;
        const dy = tf.tensor(dyValues.subarray(0, y.size), y.shape) as tf.Tensor4D;
        return [y, ...tf.grads((a: tf.Tensor, f: tf.Tensor) => tf.sum(tf.mul(conv(a, f), dy)))([x, filter])];
      });
      const result = read(out);
      tf.dispose(out);
      return result;
    };
    const expected = await run("cpu");
    const actual = await run("wasm");
    expected.forEach((e, i) => expectClose(actual[i], e, `${["y", "dx", "dfilter"][i]} ${JSON.stringify(c)}`));
  });
});
