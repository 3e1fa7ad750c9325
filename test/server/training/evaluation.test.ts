// The end-of-trial evaluation a real (small) trial returns: consistent reports on validation and test, sample
// predictions the dashboard can draw, and a size that fits the worker protocol.
import { beforeAll, describe, expect, it } from "vitest";
import { loadSplit } from "../../../server/datasets/split";
import { evaluationSchema } from "../../../server/realtime/payload-schemas";
import { initTrainingBackend } from "../../../server/training/backend";
import { SAMPLE_COUNT } from "../../../server/training/evaluation";
import { trainTrial } from "../../../server/training/train-trial";
import type { ClassificationReport, TrainJob, TrainResult } from "../../../server/training/types";

const job: TrainJob = {
  trialId: "evaluation-1",
  sweepSeed: 7,
  trialSeed: 3,
  attempt: 0,
  dataset: { name: "fashion-mnist", subset: 600, validationSplit: 0.2 },
  template: "cnn",
  params: { epochs: 2, filters: 8, units: 32, batch_size: 16, learning_rate: 0.003, class_weight: "balanced" },
};

let result: TrainResult;
beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
  result = await trainTrial(job, { onEpoch: () => {}, shouldStop: () => false });
});

function expectConsistent(report: ClassificationReport, labels: Uint8Array) {
  expect(report.count).toBe(labels.length);
  expect(report.confusion).toHaveLength(10);
  const total = report.confusion.flat().reduce((a, b) => a + b, 0);
  expect(total).toBe(labels.length);
  const diagonal = report.confusion.reduce((sum, row, i) => sum + row[i], 0);
  expect(report.accuracy).toBeCloseTo(diagonal / labels.length, 12);
  report.confusion.forEach((row, c) => {
    expect(row.reduce((a, b) => a + b, 0)).toBe(labels.filter((l) => l === c).length);
    expect(report.perClass[c].support).toBe(row.reduce((a, b) => a + b, 0));
  });
  const mean = (key: "precision" | "recall" | "f1") => report.perClass.reduce((sum, c) => sum + c[key], 0) / 10;
  for (const key of ["precision", "recall", "f1"] as const) expect(report.macro[key]).toBeCloseTo(mean(key), 12);
}

describe("a trial's evaluation", () => {
  it("reports accuracy, per-class and macro precision / recall / F1 and a confusion matrix on validation and test", async () => {
    const split = await loadSplit(job.dataset, job.sweepSeed);
    const { evaluation } = result;
    expect(evaluation.classNames).toEqual(split.classNames);
    expectConsistent(evaluation.validation!, split.validation.labels);
    expectConsistent(evaluation.test, split.test.labels);
    expect(evaluation.test.accuracy).toBe(result.testMetrics.test_accuracy);
    expect(evaluation.test.loss).toBe(result.testMetrics.test_loss);
    expect(evaluation.test.accuracy).toBeGreaterThan(0.4); // it learned something
    expect(result.artifact.metadata.metrics.test_macro_f1).toBe(evaluation.test.macro.f1);
  });

  it("includes a few test images as 28x28 grayscale bytes with label, prediction and confidence", async () => {
    const test = (await loadSplit(job.dataset, job.sweepSeed)).test;
    const { samples } = result.evaluation;
    expect(samples).toHaveLength(SAMPLE_COUNT);
    for (const sample of samples) {
      const pixels = Buffer.from(sample.pixels, "base64");
      expect([sample.width, sample.height, pixels.length]).toEqual([28, 28, 784]);
      // The bytes are one of the test images, with its true label.
      const index = Array.from({ length: test.count }, (_, i) => i).find((i) => Buffer.compare(Buffer.from(test.images.subarray(i * 784, (i + 1) * 784)), pixels) === 0);
      expect(index).toBeDefined();
      expect(sample.label).toBe(test.labels[index!]);
      expect(sample.confidence).toBeGreaterThan(0.1 - 1e-6);
      expect(sample.confidence).toBeLessThanOrEqual(1 + 1e-6);
    }
  });

  it("passes the worker protocol's schema and stays small", () => {
    expect(evaluationSchema.safeParse(result.evaluation).success).toBe(true);
    expect(JSON.stringify(result.evaluation).length).toBeLessThan(25_000);
  });
});
