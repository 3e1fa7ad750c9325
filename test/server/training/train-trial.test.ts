// A real (small) training run on Fashion-MNIST through the wasm backend and our kernels.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSplit, loadTestSetFor } from "../../../server/datasets/split";
import { initTrainingBackend } from "../../../server/training/backend";
import { evaluateSet } from "../../../server/training/image-batches";
import { loadModelFromArtifact } from "../../../server/training/model-artifact";
import { assertFiniteLoss, trainTrial } from "../../../server/training/train-trial";
import type { EpochMetrics, TrainJob } from "../../../server/training/types";

const job = (overrides: Partial<TrainJob> = {}, params: TrainJob["params"] = {}): TrainJob => ({
  trialId: "trial-1",
  sweepSeed: 7,
  attempt: 0,
  trialSeed: 11,
  dataset: { name: "fashion-mnist", subset: 600, validationSplit: 0.2 },
  template: "cnn",
  params: { epochs: 2, filters: 8, units: 32, batch_size: 16, learning_rate: 0.003, ...params },
  ...overrides,
});

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

describe("trainTrial", () => {
  it("learns, reports well-formed epochs, leaks no tensors, and exports a reloadable model", async () => {
    const tensorsBefore = tf.memory().numTensors;
    const reports: Array<[number, EpochMetrics]> = [];
    const result = await trainTrial(job(), {
      onEpoch: (epoch, metrics) => void reports.push([epoch, metrics]),
      shouldStop: () => false,
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    expect(result.epochsRun).toBe(2);
    expect(reports.map(([epoch]) => epoch)).toEqual([1, 2]);
    for (const [, m] of reports) {
      expect(Object.keys(m).sort()).toEqual(["accuracy", "duration_ms", "images_per_sec", "learning_rate", "loss", "val_accuracy", "val_loss"]);
      for (const value of Object.values(m)) expect(Number.isFinite(value)).toBe(true);
      expect(m.accuracy).toBeGreaterThanOrEqual(0);
      expect(m.accuracy).toBeLessThanOrEqual(1);
      expect(m.duration_ms).toBeGreaterThan(0);
      expect(m.images_per_sec).toBeGreaterThan(0);
    }
    expect(reports[1][1].val_accuracy).toBeGreaterThan(0.5);
    expect(reports[1][1].loss).toBeLessThan(reports[0][1].loss);

    const { artifact } = result;
    expect(artifact.modelJson.format).toBe("layers-model");
    expect(artifact.modelJson.convertedBy).toBeNull();
    expect(artifact.modelJson.weightsManifest).toEqual([{ paths: ["weights.bin"], weights: expect.any(Array) }]);
    expect(artifact.weights).toBeInstanceOf(Uint8Array);
    expect(artifact.metadata).toMatchObject({
      inputShape: [28, 28, 1],
      preprocessing: { scale: 1 / 255 },
      backend: "wasm",
      dataset: { name: "fashion-mnist", subset: 600, validationSplit: 0.2, testSplit: "official-test", testSubset: 100, seed: 7 },
      metrics: { test_accuracy: result.testMetrics.test_accuracy },
    });
    expect(artifact.metadata.classNames).toHaveLength(10);
    expect(artifact.metadata.params).toMatchObject({ optimizer: "adam", conv_layers: 2, filters: 8 });

    // Reload with plain tf.loadLayersModel and re-evaluate on the exact test images named by the metadata.
    // (modelJson goes through JSON, as it would through a model.json file.)
    const reloaded = await loadModelFromArtifact({ modelJson: JSON.parse(JSON.stringify(artifact.modelJson)), weights: artifact.weights });
    const testSet = await loadTestSetFor(artifact.metadata.dataset);
    const evaluation = evaluateSet(reloaded, testSet, 10);
    reloaded.dispose();
    expect(evaluation.accuracy).toBe(result.testMetrics.test_accuracy);
    expect(evaluation.loss).toBeCloseTo(result.testMetrics.test_loss, 5);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it("stops after the first epoch once shouldStop turns true, still returning a result", async () => {
    const tensorsBefore = tf.memory().numTensors;
    let stop = false;
    const epochs: number[] = [];
    const result = await trainTrial(job({}, { epochs: 5 }), {
      onEpoch: (epoch) => {
        epochs.push(epoch);
        stop = true;
      },
      shouldStop: () => stop,
    });
    expect(epochs).toEqual([1]);
    expect(result.epochsRun).toBe(1);
    expect(Number.isFinite(result.testMetrics.test_accuracy)).toBe(true);
    expect(result.artifact.metadata.metrics.epochs_run).toBe(1);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it("is reproducible for the same seeds", async () => {
    const run = async () => {
      const losses: number[] = [];
      await trainTrial(job({}, { epochs: 1 }), { onEpoch: (_, m) => void losses.push(m.loss, m.val_loss), shouldStop: () => false });
      return losses;
    };
    expect(await run()).toEqual(await run());
  });

  it("fails cleanly on unknown templates and frees everything", async () => {
    const tensorsBefore = tf.memory().numTensors;
    await expect(trainTrial(job({ template: "rnn" as never }), { onEpoch: () => {}, shouldStop: () => false })).rejects.toThrow(/unknown model template/);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it("reports divergence with the epoch", () => {
    expect(() => assertFiniteLoss(Number.NaN, 3)).toThrow("diverged at epoch 3: loss is NaN");
    expect(() => assertFiniteLoss(Number.POSITIVE_INFINITY, 1)).toThrow("diverged at epoch 1: loss is Infinity");
    expect(() => assertFiniteLoss(0.5, 1)).not.toThrow();
  });

  it("stops early the Keras way, restores the best epoch's weights, and leaks nothing", async () => {
    const tensorsBefore = tf.memory().numTensors;
    const reports: EpochMetrics[] = [];
    // No later epoch can beat the first by min_delta 1: with patience 1, training stops at epoch 2 of 5.
    const earlyStopping = { monitor: "val_accuracy", mode: "max" as const, patience: 1, minDelta: 1, restoreBestWeights: true };
    const result = await trainTrial(job({ earlyStopping }, { epochs: 5 }), {
      onEpoch: (_epoch, metrics) => void reports.push(metrics),
      shouldStop: () => false,
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(result.epochsRun).toBe(2);
    expect(reports).toHaveLength(2);
    expect(result.stopReason).toMatch(/epoch 2/);
    // The exported model is epoch 1's (the only "improvement"): its metadata carries that epoch's accuracy.
    expect(result.artifact.metadata.metrics.val_accuracy).toBe(reports[0].val_accuracy);
    const validation = (await loadSplit(job().dataset, job().sweepSeed)).validation;
    const reloaded = await loadModelFromArtifact(result.artifact);
    expect(evaluateSet(reloaded, validation, 10).accuracy).toBeCloseTo(reports[0].val_accuracy, 6);
    reloaded.dispose();
  });

  it("changes the learning rate by the trial's schedule and reports it per epoch", async () => {
    const rates: number[] = [];
    const params = { epochs: 3, optimizer: "momentum", lr_schedule: "step", lr_step_epochs: 1, lr_factor: 0.5 };
    await trainTrial(job({}, params), { onEpoch: (_, m) => void rates.push(m.learning_rate), shouldStop: () => false });
    expect(rates).toEqual([0.003, 0.0015, 0.00075]);
  });

  it("keeps the best epoch by the checkpoint's monitor (ModelCheckpoint save_best_only) and exports that model", async () => {
    const tensorsBefore = tf.memory().numTensors;
    const reports: EpochMetrics[] = [];
    // A rate that makes later epochs worse than the first on the validation loss.
    const params = { epochs: 3, optimizer: "sgd", learning_rate: 2 };
    const result = await trainTrial(job({ checkpoint: { monitor: "val_loss", mode: "auto" } }, params), {
      onEpoch: (_, m) => void reports.push(m),
      shouldStop: () => false,
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(result.epochsRun).toBe(3);
    const best = reports.reduce((a, b) => (b.val_loss < a.val_loss ? b : a));
    expect(best).not.toBe(reports[2]); // so the exported model is not simply the last one
    expect(result.artifact.metadata.metrics.val_loss).toBe(best.val_loss);
    expect(result.evaluation.validation?.loss).toBeCloseTo(best.val_loss, 5);
  });
});
