// What the trial detail shows of a trial's final evaluation: the per-class table, the confusion matrix's cell
// shading, sample images as RGBA pixels for a canvas, and what the examples are called. Kept free of React so it can be unit-tested.
import type { ClassificationReport, SamplePrediction, TrialEvaluation } from "../../server/training/types";

export type EvaluationSplit = "test" | "validation";

export interface ClassRow {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** One row per class, then the macro average (its support is the whole split). */
export function classRows(report: ClassificationReport, classNames: string[]): { rows: ClassRow[]; macro: ClassRow } {
  const rows = report.perClass.map((c, i) => ({ name: classNames[i] ?? `class ${i}`, ...c }));
  return { rows, macro: { name: "macro average", ...report.macro, support: report.count } };
}

/** A confusion-matrix cell's shade: its share of the true class's samples (0 when the class has none). */
export function cellShare(report: ClassificationReport, trueClass: number, predictedClass: number): number {
  const row = report.confusion[trueClass];
  const total = row.reduce((sum, n) => sum + n, 0);
  return total === 0 ? 0 : row[predictedClass] / total;
}

/** An inline colour (Tailwind cannot build classes for computed shades): the diagonal green, confusions red, by share. */
export function cellColour(share: number, onDiagonal: boolean): string {
  const alpha = Math.round(Math.min(1, Math.max(0, share)) * 85) / 100;
  return onDiagonal ? `rgba(16, 185, 129, ${alpha})` : `rgba(239, 68, 68, ${alpha})`;
}

/** The splits a report exists for, test first (what users quote); validation when the trial had one. */
export function availableSplits(evaluation: TrialEvaluation): EvaluationSplit[] {
  return evaluation.validation ? ["test", "validation"] : ["test"];
}

export function reportFor(evaluation: TrialEvaluation, split: EvaluationSplit): ClassificationReport {
  return split === "validation" && evaluation.validation ? evaluation.validation : evaluation.test;
}

/** A sample's grayscale bytes (base64) as opaque RGBA, ready for ImageData. */
export function sampleRgba(sample: SamplePrediction): Uint8ClampedArray<ArrayBuffer> {
  const gray = Uint8Array.from(atob(sample.pixels), (c) => c.charCodeAt(0));
  const rgba = new Uint8ClampedArray(new ArrayBuffer(sample.width * sample.height * 4));
  for (let i = 0; i < gray.length; i++) {
    // Fashion-MNIST is light-on-dark; drawn dark-on-light it reads like the paper's figures.
    const value = 255 - gray[i];
    rgba.set([value, value, value, 255], i * 4);
  }
  return rgba;
}

/** What the evaluated examples are called: a table's evaluation carries sample rows instead of images. */
export const exampleNoun = (evaluation: TrialEvaluation) => (evaluation.featureSamples ? "rows" : "images");

export const formatPercent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : "—");
