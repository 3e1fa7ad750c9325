// What the trial detail shows of an evaluation: class rows with the macro average, confusion-cell shading,
// the splits offered, and sample images as canvas pixels.
import { describe, expect, it } from "vitest";
import { availableSplits, cellColour, cellShare, classRows, formatPercent, reportFor, sampleRgba } from "../../app/lib/trial-evaluation";
import { fakeEvaluation } from "../support/reports";

describe("trial evaluation view", () => {
  it("lists each class by name, then the macro average over the whole split", () => {
    const evaluation = fakeEvaluation();
    const { rows, macro } = classRows(evaluation.test, evaluation.classNames);
    expect(rows.map((r) => [r.name, r.support])).toEqual([
      ["a", 2],
      ["b", 2],
    ]);
    expect(macro).toMatchObject({ name: "macro average", f1: evaluation.test.macro.f1, support: 4 });
  });

  it("shades a confusion cell by its share of the true class, green on the diagonal and red off it", () => {
    const report = fakeEvaluation().test; // [[2, 0], [1, 1]]
    expect([cellShare(report, 0, 0), cellShare(report, 1, 0), cellShare(report, 1, 1)]).toEqual([1, 0.5, 0.5]);
    expect(cellColour(1, true)).toBe("rgba(16, 185, 129, 0.85)");
    expect(cellColour(0.5, false)).toBe("rgba(239, 68, 68, 0.43)");
    const empty = { ...report, confusion: [[0, 0], [1, 1]] };
    expect(cellShare(empty, 0, 1)).toBe(0);
  });

  it("offers the validation split only when there was one", () => {
    const evaluation = fakeEvaluation();
    expect(availableSplits(evaluation)).toEqual(["test", "validation"]);
    expect(availableSplits({ ...evaluation, validation: null })).toEqual(["test"]);
    expect(reportFor({ ...evaluation, validation: null }, "validation")).toBe(evaluation.test);
  });

  it("turns a sample's grayscale bytes into opaque, inverted RGBA", () => {
    const rgba = sampleRgba(fakeEvaluation().samples[0]); // bytes 0, 85, 170, 255
    expect(Array.from(rgba)).toEqual([255, 255, 255, 255, 170, 170, 170, 255, 85, 85, 85, 255, 0, 0, 0, 255]);
    expect(formatPercent(0.8734)).toBe("87.3 %");
    expect(formatPercent(Number.NaN)).toBe("—");
  });
});
