// The new layer kinds and the MLP template train through the real trainer on the wasm backend (with our
// kernels): a few batches each, finite losses, no leaked tensors, and a reloadable artifact.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Params } from "../../../search/parameters";
import { initTrainingBackend } from "../../../server/training/backend";
import { loadModelFromArtifact } from "../../../server/training/model-artifact";
import { trainTrial } from "../../../server/training/train-trial";
import type { EpochMetrics, TemplateName, TrainJob } from "../../../server/training/types";

const job = (template: TemplateName, params: Params): TrainJob => ({
  trialId: `trial-${template}`,
  sweepSeed: 5,
  trialSeed: 9,
  attempt: 0,
  // 160 training images: three batches of 64 (the last one partial).
  dataset: { name: "fashion-mnist", subset: 200, validationSplit: 0.2 },
  template,
  params: { epochs: 1, batch_size: 64, ...params },
});

async function trainAndCheck(template: TemplateName, params: Params) {
  const tensorsBefore = tf.memory().numTensors;
  const epochs: EpochMetrics[] = [];
  const result = await trainTrial(job(template, params), { onEpoch: (_, metrics) => void epochs.push(metrics), shouldStop: () => false });
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(epochs).toHaveLength(1);
  for (const name of ["loss", "accuracy", "val_loss", "val_accuracy"] as const) expect(Number.isFinite(epochs[0][name]), name).toBe(true);
  const reloaded = await loadModelFromArtifact(result.artifact);
  expect(reloaded.layers.map((l) => l.getClassName())).toEqual(
    (result.artifact.modelJson.modelTopology as { config: { layers: { class_name: string }[] } }).config.layers.map((l) => l.class_name),
  );
  reloaded.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  return result;
}

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

describe("training the model templates", () => {
  it("trains an MLP on flattened images with batch norm, dropout and L2, leaking no tensors", async () => {
    const result = await trainAndCheck("mlp", { dense_layers: 2, units: 32, batch_norm: true, dropout: 0.1, l2: 0.001, activation: "gelu" });
    // The stored parameters are the MLP's, defaults filled (and no CNN parameters).
    expect(result.artifact.metadata.params).toMatchObject({ dense_layers: 2, units: 32, batch_norm: true, l1: 0, optimizer: "adam" });
    expect(result.artifact.metadata.params).not.toHaveProperty("conv_layers");
  });

  it("trains a CNN with batch norm, leaky ReLU, strides, average pooling, global pooling, per-layer sizes and L1/L2", async () => {
    const result = await trainAndCheck("cnn", {
      conv_layers: 2,
      filters_1: 8,
      filters_2: 12,
      strides: 2,
      padding: "valid",
      batch_norm: true,
      activation: "leaky_relu",
      pooling: "avg",
      conv_dropout: 0.1,
      head: "global_average",
      dense_layers: 2,
      units_1: 16,
      units_2: 8,
      l1: 0.0001,
      l2: 0.001,
    });
    expect(result.artifact.metadata.params).toMatchObject({ filters_1: 8, filters_2: 12, units_2: 8, padding: "valid" });
  });

  it("trains swish and elu CNNs without pooling", async () => {
    await trainAndCheck("cnn", { conv_layers: 1, filters: 4, pooling: "none", strides: 2, activation: "swish", units: 8 });
    await trainAndCheck("mlp", { dense_layers: 1, units: 8, activation: "elu", l1: 0.001 });
  });
});
