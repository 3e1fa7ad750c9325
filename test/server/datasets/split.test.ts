import { describe, expect, it } from "vitest";
import { FASHION_MNIST_CLASS_NAMES, loadFashionMnist } from "../../../server/datasets/fashion-mnist";
import { loadSplit, loadTestSetFor, proportionalQuotas, splitIndices } from "../../../server/datasets/split";

/** Unbalanced synthetic labels: class c has 100 + 20c items, interleaved. */
function syntheticLabels(numClasses: number): Uint8Array {
  const labels: number[] = [];
  for (let round = 0; round < 100 + 20 * numClasses; round++) {
    for (let c = 0; c < numClasses; c++) if (round < 100 + 20 * c) labels.push(c);
  }
  return Uint8Array.from(labels);
}

const countByClass = (labels: Uint8Array, indices: number[], numClasses: number) => {
  const counts = new Array(numClasses).fill(0);
  for (const i of indices) counts[labels[i]]++;
  return counts;
};

describe("stratified seeded split", () => {
  const trainLabels = syntheticLabels(5);
  const testLabels = syntheticLabels(5).subarray(0, 600);
  const ref = { subset: 600, validationSplit: 0.2 };

  it("is deterministic for a seed and changes with the seed", () => {
    const a = splitIndices(trainLabels, testLabels, 5, ref, 42);
    const b = splitIndices(trainLabels, testLabels, 5, ref, 42);
    const c = splitIndices(trainLabels, testLabels, 5, ref, 43);
    expect(a).toEqual(b);
    expect(c.train).not.toEqual(a.train);
  });

  it("has the requested sizes, disjoint train/validation, and a test draw of ceil(subset/6)", () => {
    const { train, validation, test } = splitIndices(trainLabels, testLabels, 5, ref, 7);
    expect(train.length).toBe(480);
    expect(validation.length).toBe(120);
    expect(new Set([...train, ...validation]).size).toBe(600);
    expect(test.length).toBe(100);
    expect(new Set(test).size).toBe(100);
  });

  it("keeps class proportions in every part (within one item per class)", () => {
    const { train, validation, test } = splitIndices(trainLabels, testLabels, 5, ref, 11);
    const all = trainLabels.length;
    const classSizes = countByClass(trainLabels, Array.from(trainLabels.keys()), 5);
    for (const [part, labels] of [[train, trainLabels], [validation, trainLabels], [test, testLabels]] as const) {
      const counts = countByClass(labels, part, 5);
      const sizes = labels === testLabels ? countByClass(testLabels, Array.from(testLabels.keys()), 5) : classSizes;
      const total = labels === testLabels ? testLabels.length : all;
      counts.forEach((count, c) => expect(Math.abs(count - (sizes[c] * part.length) / total)).toBeLessThanOrEqual(1.5));
    }
  });

  it("uses the whole sets when no subset is given", () => {
    const { train, validation, test } = splitIndices(trainLabels, testLabels, 5, { validationSplit: 0.1 }, 3);
    expect(train.length + validation.length).toBe(trainLabels.length);
    expect(test).toEqual(Array.from(testLabels.keys()));
  });

  it("splits quotas by largest remainder", () => {
    expect(proportionalQuotas([10, 10, 10], 10)).toEqual([4, 3, 3]);
    expect(proportionalQuotas([1, 99], 50)).toEqual([1, 49]);
  });
});

describe("Fashion-MNIST splits", () => {
  it("loads the real files and reproduces a split's test set from model metadata", async () => {
    const data = await loadFashionMnist();
    expect(data.train.count).toBe(60000);
    expect(data.test.count).toBe(10000);
    expect(data.classNames).toEqual([...FASHION_MNIST_CLASS_NAMES]);
    const split = await loadSplit({ name: "fashion-mnist", subset: 1000, validationSplit: 0.2 }, 5);
    expect([split.train.count, split.validation.count, split.test.count]).toEqual([800, 200, 167]);
    expect(Array.from(countByClass(split.validation.labels, Array.from(split.validation.labels.keys()), 10))).toEqual(new Array(10).fill(20));
    const test = await loadTestSetFor({ name: "fashion-mnist", subset: 1000, validationSplit: 0.2, testSplit: "official-test", testSubset: 167, seed: 5 });
    expect(test.labels).toEqual(split.test.labels);
    expect(test.images).toEqual(split.test.images);
  });
});
