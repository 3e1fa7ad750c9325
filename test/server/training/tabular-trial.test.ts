// The MLP on a CSV table through the real trainer: it learns well above chance, reports the same epoch metrics and
// end-of-trial evaluation as an image trial (sample rows instead of images), leaks no tensors, and exports a model
// whose metadata alone is enough to prepare new rows.
import * as tf from "@tensorflow/tfjs";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCsvTestRows } from "../../../server/datasets/csv-dataset";
import { completeReportSchema } from "../../../server/realtime/payload-schemas";
import { initTrainingBackend } from "../../../server/training/backend";
import { SAMPLE_COUNT } from "../../../server/training/evaluation";
import { loadModelFromArtifact } from "../../../server/training/model-artifact";
import { trainTrial } from "../../../server/training/train-trial";
import type { CsvDatasetRef, EpochMetrics, TabularPreprocessing, TrainJob } from "../../../server/training/types";
import { FEATURES, SPECIES, syntheticTable, tempDataDir } from "../../support/tabular";

const data = tempDataDir();
data.write("species.csv", syntheticTable(60));
afterAll(() => data.remove());
const options = { data: { dataDir: data.dir } };

const dataset: CsvDatasetRef = { name: "csv", file: "species.csv", label: "species", ignore: ["id"], validationSplit: 0.1, testSplit: 0.1 };
const job = (overrides: Partial<TrainJob> = {}): TrainJob => ({
  trialId: "00000000-0000-4000-8000-000000000001",
  sweepSeed: 5,
  trialSeed: 9,
  attempt: 0,
  dataset,
  template: "mlp",
  params: { epochs: 15, units: 32, batch_size: 16, learning_rate: 0.01 },
  ...overrides,
});
const hooks = (reports: EpochMetrics[] = []) => ({ onEpoch: (_: number, m: EpochMetrics) => void reports.push(m), shouldStop: () => false });

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

describe("an MLP trial on a CSV table", () => {
  it("learns well above chance, evaluates with sample rows, leaks nothing, and exports a usable model", async () => {
    const tensorsBefore = tf.memory().numTensors;
    const reports: EpochMetrics[] = [];
    const result = await trainTrial(job(), hooks(reports), options);
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    expect(reports).toHaveLength(15);
    for (const m of reports) {
      expect(Object.keys(m).sort()).toEqual(["accuracy", "duration_ms", "images_per_sec", "learning_rate", "loss", "val_accuracy", "val_loss"]);
      for (const value of Object.values(m)) expect(Number.isFinite(value)).toBe(true);
    }
    expect(reports[14].loss).toBeLessThan(reports[0].loss);
    expect(reports[14].val_accuracy).toBeGreaterThan(0.85); // chance is 1/3
    expect(result.testMetrics.test_accuracy).toBeGreaterThan(0.85);

    const { evaluation, artifact } = result;
    expect(evaluation.classNames).toEqual([...SPECIES]);
    expect(evaluation.test.count).toBe(18);
    expect(evaluation.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(18);
    expect(evaluation.validation?.count).toBe(18);
    expect(evaluation.samples).toEqual([]);
    expect(evaluation.featureSamples?.featureNames).toEqual([...FEATURES]);
    expect(evaluation.featureSamples?.rows).toHaveLength(SAMPLE_COUNT);
    // Sample rows show the CSV's own values (not standardised ones), with their true label.
    const raw = await loadCsvTestRows(dataset, 5, options.data);
    for (const row of evaluation.featureSamples!.rows) {
      const index = Array.from({ length: raw.count }, (_, i) => i).find((i) => row.features.every((v, f) => Math.abs(v - raw.features[i * 4 + f]) <= 1e-6 * Math.abs(v)));
      expect(index).toBeDefined();
      expect(row.label).toBe(raw.labels[index!]);
    }

    expect(artifact.metadata).toMatchObject({
      inputShape: [4],
      classNames: [...SPECIES],
      dataset: { name: "csv", file: "species.csv", label: "species", features: [...FEATURES], ignore: ["id"], validationSplit: 0.1, testSplit: 0.1, seed: 5, testRows: 18 },
      preprocessing: { featureNames: [...FEATURES], mean: expect.any(Array), std: expect.any(Array) },
      metrics: { test_accuracy: result.testMetrics.test_accuracy, epochs_run: 15 },
    });
    // The whole result passes the worker protocol, and the preprocessing survives its parsing.
    // (The weights travel as a reference to the uploaded blob: see server/worker/artifact-upload.ts.)
    const weights = { sha256: createHash("sha256").update(result.artifact.weights).digest("hex"), bytes: result.artifact.weights.byteLength };
    const parsed = completeReportSchema.safeParse({ trialId: job().trialId, attempt: 0, ...result, artifact: { ...result.artifact, weights } });
    expect(parsed.success && parsed.data.artifact.metadata.preprocessing).toEqual(artifact.metadata.preprocessing);
    expect(parsed.success && parsed.data.evaluation).toEqual(evaluation);

    // A user with the model and its metadata: standardise the CSV's test rows as the metadata says, predict.
    const { mean, std } = artifact.metadata.preprocessing as TabularPreprocessing;
    const model = await loadModelFromArtifact({ modelJson: JSON.parse(JSON.stringify(artifact.modelJson)), weights: artifact.weights });
    const inputs = Float32Array.from(raw.features, (v, i) => (v - mean[i % 4]) / std[i % 4]);
    const predicted = tf.tidy(() => (model.predict(tf.tensor2d(inputs, [raw.count, 4])) as tf.Tensor).argMax(-1).dataSync());
    model.dispose();
    const correct = raw.labels.filter((label, i) => label === predicted[i]).length;
    expect(correct / raw.count).toBe(result.testMetrics.test_accuracy);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it("fails with the reason, and frees everything, for a CNN on a table or a file the worker does not have", async () => {
    const tensorsBefore = tf.memory().numTensors;
    await expect(trainTrial(job({ template: "cnn" }), hooks(), options)).rejects.toThrow(/the cnn template needs images .* use the mlp template/);
    await expect(trainTrial(job({ dataset: { ...dataset, file: "iris.csv" } }), hooks(), options)).rejects.toThrow(
      `dataset.file: \`iris.csv\` not found (looked in: ${data.dir}/iris.csv)`,
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it("is reproducible for the same seeds", async () => {
    const losses = async () => {
      const reports: EpochMetrics[] = [];
      await trainTrial(job({ params: { epochs: 2, units: 16, batch_size: 32 } }), hooks(reports), options);
      return reports.map((m) => [m.loss, m.val_loss]);
    };
    expect(await losses()).toEqual(await losses());
  });
});
