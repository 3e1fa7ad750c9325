// Losses against hand-computed Keras values, class weights, and the weighted batch sum.
import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classWeights, perSampleLoss, weightedLossSum } from "../../../server/training/losses";
import { LOSSES } from "../../../server/training/training-parameters";

const probabilities = [
  [0.7, 0.2, 0.1],
  [0.1, 0.1, 0.8],
];
const labels = [0, 1];
const oneHot = [
  [1, 0, 0],
  [0, 1, 0],
];

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

function losses(name: (typeof LOSSES)[number]): number[] {
  return tf.tidy(() => Array.from(perSampleLoss(name, { labels: tf.tensor1d(labels, "int32"), dense: tf.tensor2d(oneHot) }, tf.tensor2d(probabilities)).dataSync()));
}

describe("perSampleLoss", () => {
  it("computes Keras's cross-entropies (sparse and one-hot agree)", () => {
    const expected = [-Math.log(0.7), -Math.log(0.1)];
    for (const name of ["sparse_categorical_crossentropy", "categorical_crossentropy"] as const) {
      losses(name).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
    }
  });

  it("computes binary cross-entropy per output, averaged over the outputs", () => {
    const bce = (y: number[], p: number[]) => -y.reduce((sum, t, i) => sum + t * Math.log(p[i]) + (1 - t) * Math.log(1 - p[i]), 0) / y.length;
    losses("binary_crossentropy").forEach((value, i) => expect(value).toBeCloseTo(bce(oneHot[i], probabilities[i]), 5));
  });

  it("computes the mean squared error per sample, also for regression targets", () => {
    const mse = (y: number[], p: number[]) => y.reduce((sum, t, i) => sum + (t - p[i]) ** 2, 0) / y.length;
    losses("mse").forEach((value, i) => expect(value).toBeCloseTo(mse(oneHot[i], probabilities[i]), 6));
    const regression = tf.tidy(() => Array.from(perSampleLoss("mse", { dense: tf.tensor1d([1.5, -2]) }, tf.tensor1d([1, 0])).dataSync()));
    expect(regression).toEqual([0.25, 4]);
  });

  it("clips probabilities so a confident mistake is large but finite", () => {
    const value = tf.tidy(() => perSampleLoss("sparse_categorical_crossentropy", { labels: tf.tensor1d([1], "int32") }, tf.tensor2d([[1, 0]])).dataSync()[0]);
    expect(value).toBeCloseTo(-Math.log(1e-7), 3);
  });

  it("says what a loss is missing", () => {
    expect(() => tf.tidy(() => perSampleLoss("sparse_categorical_crossentropy", {}, tf.tensor2d(probabilities)))).toThrow(/needs labels/);
  });
});

describe("class weights", () => {
  it("are scikit-learn's balanced weights, n / (classes * count), and 0 for absent classes", () => {
    const weights = classWeights("balanced", [0, 0, 0, 1, 2, 2], 4)!;
    expect(Array.from(weights)).toEqual([6 / 12, 6 / 4, 6 / 8, 0].map(Math.fround));
    expect(classWeights("none", [0, 1], 2)).toBeNull();
  });

  it("scale each sample's loss in the batch sum", () => {
    const sum = tf.tidy(() => weightedLossSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([0.5, 1, 2])).dataSync()[0]);
    expect(sum).toBe(8.5);
    expect(tf.tidy(() => weightedLossSum(tf.tensor1d([1, 2, 3])).dataSync()[0])).toBe(6);
  });
});
