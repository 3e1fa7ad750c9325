// Classification reports against scikit-learn's numbers for the same labels, and the sample picking.
import { describe, expect, it } from "vitest";
import { classificationReport } from "../../../server/training/classification-metrics";
import { pickSamples, SAMPLE_COUNT } from "../../../server/training/evaluation";

describe("classificationReport", () => {
  it("matches scikit-learn's confusion_matrix and precision_recall_fscore_support", () => {
    // y_true = [0, 0, 1, 1, 2, 2, 2], y_pred = [0, 1, 1, 1, 2, 0, 2], worked by hand with scikit-learn's definitions.
    const report = classificationReport([0, 0, 1, 1, 2, 2, 2], [0, 1, 1, 1, 2, 0, 2], 3, 0.5);
    expect(report.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 2],
    ]);
    expect(report.accuracy).toBeCloseTo(5 / 7, 12);
    expect(report.loss).toBe(0.5);
    expect(report.count).toBe(7);
    const expected = [
      { precision: 0.5, recall: 0.5, f1: 0.5, support: 2 },
      { precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
      { precision: 1, recall: 2 / 3, f1: 0.8, support: 3 },
    ];
    report.perClass.forEach((c, i) => {
      expect(c.support).toBe(expected[i].support);
      for (const key of ["precision", "recall", "f1"] as const) expect(c[key]).toBeCloseTo(expected[i][key], 12);
    });
    expect(report.macro.precision).toBeCloseTo(0.7222222222222222, 12);
    expect(report.macro.recall).toBeCloseTo(0.7222222222222222, 12);
    expect(report.macro.f1).toBeCloseTo(0.7, 12);
  });

  it("gives 0 where a ratio has no denominator and averages over the classes present, as scikit-learn does", () => {
    // Class 1 is never predicted (precision 0/0 -> 0); class 3 appears nowhere and is left out of the macro mean.
    const report = classificationReport([0, 1, 2], [0, 0, 2], 4, 1);
    expect(report.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(report.perClass[3]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(report.macro.precision).toBeCloseTo((0.5 + 0 + 1) / 3, 12);
    expect(report.macro.f1).toBeCloseTo((2 / 3 + 0 + 1) / 3, 12);
  });

  it("refuses mismatched inputs", () => {
    expect(() => classificationReport([0, 1], [0], 2, 0)).toThrow(/2 labels but 1 predictions/);
  });
});

describe("pickSamples", () => {
  const set = (labels: number[]) => ({
    images: Uint8Array.from({ length: labels.length * 4 }, (_, i) => i),
    labels: Uint8Array.from(labels),
    count: labels.length,
    height: 2,
    width: 2,
  });

  it("shows up to half mistakes, the rest correct, in test-set order, with the image bytes", () => {
    const labels = Array.from({ length: 40 }, (_, i) => i % 3);
    const predicted = Int32Array.from(labels, (label, i) => (i % 4 === 0 ? (label + 1) % 3 : label));
    const confidence = Float32Array.from(labels, () => 0.75);
    const samples = pickSamples(set(labels), predicted, confidence, 7);
    expect(samples).toHaveLength(SAMPLE_COUNT);
    expect(samples.filter((s) => s.label !== s.predicted)).toHaveLength(SAMPLE_COUNT / 2);
    for (const s of samples) {
      expect(Buffer.from(s.pixels, "base64")).toHaveLength(4);
      expect(s.confidence).toBe(0.75);
    }
    expect(pickSamples(set(labels), predicted, confidence, 7)).toEqual(samples); // seeded
  });

  it("fills with mistakes when few are right, and copes with tiny sets", () => {
    const labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1];
    const predicted = Int32Array.from(labels, (label, i) => (i < 3 ? label : (label + 1) % 3));
    const samples = pickSamples(set(labels), predicted, new Float32Array(labels.length), 1);
    expect(samples).toHaveLength(SAMPLE_COUNT);
    expect(samples.filter((s) => s.label === s.predicted)).toHaveLength(3);
    expect(pickSamples(set([1]), Int32Array.of(1), Float32Array.of(1), 1)).toHaveLength(1);
  });
});
