// The conv layer's unfused training call (conv2d-layer.ts) for the convs tfjs-layers would fuse as linear: a
// batch-norm CNN (no bias) and a tanh / sigmoid CNN (bias, then the activation). Training gradients on wasm
// against the stock layers on cpu (within 1e-5), with no FusedConv2D and no input gradient for the input image;
// ReLU / ELU convs keep the stock call.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, expect, it } from "vitest";
import { initTrainingBackend } from "../../../server/training/backend";
import { batchNormalization } from "../../../server/training/batch-norm-layer";
import { conv2d } from "../../../server/training/conv2d-layer";
import { expectClose, randomValues, read, sizeOf } from "./kernel-check";

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

type Factories = {
  conv: (args: Parameters<typeof tf.layers.conv2d>[0]) => tf.layers.Layer;
  bn: (args?: Parameters<typeof tf.layers.batchNormalization>[0]) => tf.layers.Layer;
};
type Activation = "batch_norm" | "tanh" | "sigmoid";

/** Conv > [BN >] act > Conv (same, strided) > [BN >] act > Flatten > Dense: the template's conv blocks. */
function model({ conv, bn }: Factories, inputShape: number[], activation: Activation): tf.Sequential {
  const withBn = activation === "batch_norm";
  const block = (args: Parameters<typeof tf.layers.conv2d>[0]) =>
    withBn ? [conv({ ...args, useBias: false }), bn(), tf.layers.reLU()] : [conv({ ...args, activation })];
  return tf.sequential({
    layers: [
      ...block({ inputShape, filters: 4, kernelSize: 3, padding: "valid" }),
      ...block({ filters: 5, kernelSize: 2, strides: 2, padding: "same" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
}

it.each([
  { shape: [2, 9, 7, 1], activation: "batch_norm" },
  { shape: [3, 8, 8, 3], activation: "batch_norm" },
  { shape: [2, 7, 9, 2], activation: "tanh" },
  { shape: [1, 6, 6, 1], activation: "sigmoid" },
] as const)("$activation CNN on $shape: gradients match the stock layers on cpu, no input-image gradient", async ({ shape: dims, activation }) => {
  const shape = [...dims];
  const x = randomValues(sizeOf(shape));
  // Same weights on both sides: drawn here once, not by the (unseeded) initialisers.
  let weights: Float32Array[] = [];
  const run = async (backend: string, factories: Factories) => {
    await tf.setBackend(backend);
    const m = model(factories, shape.slice(1), activation);
    if (weights.length === 0) weights = m.getWeights().map((w) => randomValues(w.size, -0.5, 0.5));
    const initial = m.getWeights().map((w, i) => tf.tensor(weights[i], w.shape));
    m.setWeights(initial);
    tf.dispose(initial);
    const input = tf.tensor(x, shape);
    const loss = () => tf.sum(tf.square(m.apply(input, { training: true }) as tf.Tensor)) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, m.trainableWeights.map((w) => w.read() as tf.Variable));
    const out = read([value, ...m.trainableWeights.map((w) => grads[(w.read() as tf.Variable).name])]);
    tf.dispose([value, ...Object.values(grads)]);
    const profile = await tf.profile(() => {
      const { value: v, grads: g } = tf.variableGrads(loss, m.trainableWeights.map((w) => w.read() as tf.Variable));
      tf.dispose([v, ...Object.values(g)]);
    });
    input.dispose();
    m.dispose();
    return { out, kernels: profile.kernels.map((k) => k.name) };
  };
  const stock = await run("cpu", { conv: tf.layers.conv2d, bn: tf.layers.batchNormalization });
  const ours = await run("wasm", { conv: conv2d, bn: batchNormalization });
  stock.out.forEach((e, i) => expectClose(ours.out[i], e, `${i === 0 ? "loss" : `gradient ${i - 1}`} ${JSON.stringify(shape)}`));
  expect(stock.kernels.filter((k) => k === "Conv2DBackpropInput"), "stock: the fused conv differentiates the image too").toHaveLength(2);
  expect(ours.kernels).not.toContain("FusedConv2D");
  expect(ours.kernels.filter((k) => k === "Conv2DBackpropInput"), "ours: only the second conv's input").toHaveLength(1);
});

it("linear, ReLU and ELU convs compute what the stock layer does", async () => {
  await tf.setBackend("wasm");
  const x = tf.tensor(randomValues(2 * 6 * 6 * 2), [2, 6, 6, 2]);
  const cases = [{ useBias: true }, { useBias: false, activation: "relu" as const }, { useBias: true, activation: "elu" as const }];
  for (const args of cases) {
    const m = tf.sequential({ layers: [conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, ...args })] });
    const stock = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, ...args })] });
    stock.setWeights(m.getWeights());
    const ours = read([m.apply(x, { training: true }) as tf.Tensor])[0];
    expectClose(ours, read([stock.apply(x, { training: true }) as tf.Tensor])[0], JSON.stringify(args));
    m.dispose();
    stock.dispose();
  }
  x.dispose();
});
