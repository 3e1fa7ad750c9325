// Seeded, stratified train/validation/test splits. A split depends only on (dataset ref, sweep seed), so every
// trial of a sweep, and a later reload of its model, sees exactly the same images.
import type { DatasetRef, ImageDatasetRef, ModelMetadata } from "../training/types";
import { loadFashionMnist, type DatasetLocationOptions, type ImageSet } from "./fashion-mnist";
import { boundedPromiseCache } from "./promise-cache";
import { createRandom, deriveSeed, shuffleInPlace } from "./seeded-random";

export interface DatasetSplit {
  train: ImageSet;
  validation: ImageSet;
  test: ImageSet;
  classNames: string[];
  /** Indices into the official sets, for tests and provenance. */
  indices: { train: number[]; validation: number[]; test: number[] };
}

/** Test images drawn from the official test set for a given training subset: ceil(subset / 6), or all. */
export function testSubsetSize(subset: number | undefined, available: number): number {
  return subset === undefined ? available : Math.min(available, Math.ceil(subset / 6));
}

/** Splits `total` over classes in proportion to their sizes (largest remainder; ties to the lower class). */
export function proportionalQuotas(classSizes: number[], total: number): number[] {
  const all = classSizes.reduce((sum, n) => sum + n, 0);
  if (total > all) throw new Error(`cannot draw ${total} items from ${all}`);
  const exact = classSizes.map((n) => (all === 0 ? 0 : (n * total) / all));
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((sum, q) => sum + q, 0);
  const order = exact.map((value, cls) => ({ cls, fraction: value - Math.floor(value) }));
  order.sort((a, b) => b.fraction - a.fraction || a.cls - b.cls);
  for (const { cls } of order) {
    if (left === 0) break;
    if (quotas[cls] < classSizes[cls]) {
      quotas[cls]++;
      left--;
    }
  }
  return quotas;
}

/** Indices of each class, each list shuffled by `random`. */
function shuffledByClass(labels: Uint8Array, numClasses: number, random: () => number): number[][] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  for (const list of byClass) shuffleInPlace(list, random);
  return byClass;
}

/** A stratified draw of `size` indices (seeded); returns each class's drawn indices. */
export function stratifiedDraw(labels: Uint8Array, numClasses: number, size: number, seed: number): number[][] {
  const byClass = shuffledByClass(labels, numClasses, createRandom(seed));
  const quotas = proportionalQuotas(byClass.map((list) => list.length), size);
  return byClass.map((list, cls) => list.slice(0, quotas[cls]));
}

export function selectImages(source: ImageSet, indices: number[]): ImageSet {
  const pixels = source.height * source.width;
  const images = new Uint8Array(indices.length * pixels);
  const labels = new Uint8Array(indices.length);
  indices.forEach((index, i) => {
    images.set(source.images.subarray(index * pixels, (index + 1) * pixels), i * pixels);
    labels[i] = source.labels[index];
  });
  return { images, labels, count: indices.length, height: source.height, width: source.width };
}

/** Index lists of a split; pure, so it can be tested on synthetic labels. */
export function splitIndices(
  trainLabels: Uint8Array,
  testLabels: Uint8Array,
  numClasses: number,
  ref: Pick<ImageDatasetRef, "subset" | "validationSplit">,
  seed: number,
): { train: number[]; validation: number[]; test: number[] } {
  const { subset, validationSplit } = ref;
  if (!(validationSplit >= 0 && validationSplit < 1)) throw new Error(`validationSplit must be in [0, 1), got ${validationSplit}`);
  const drawSize = subset ?? trainLabels.length;
  if (!Number.isInteger(drawSize) || drawSize < 1 || drawSize > trainLabels.length) {
    throw new Error(`subset must be an integer in [1, ${trainLabels.length}], got ${subset}`);
  }
  const drawn = stratifiedDraw(trainLabels, numClasses, drawSize, deriveSeed(seed, "train-draw"));
  const validationQuotas = proportionalQuotas(drawn.map((list) => list.length), Math.round(drawSize * validationSplit));
  const train: number[] = [];
  const validation: number[] = [];
  drawn.forEach((list, cls) => {
    list.forEach((index, i) => (i < validationQuotas[cls] ? validation : train).push(index));
  });
  // Mix the classes (the class-by-class order would otherwise leak into anything that reads in order).
  shuffleInPlace(train, createRandom(deriveSeed(seed, "train-order")));
  shuffleInPlace(validation, createRandom(deriveSeed(seed, "validation-order")));
  const testSize = testSubsetSize(subset, testLabels.length);
  const test =
    testSize === testLabels.length
      ? Array.from({ length: testSize }, (_, i) => i)
      : stratifiedDraw(testLabels, numClasses, testSize, deriveSeed(seed, "test-draw")).flat().sort((a, b) => a - b);
  return { train, validation, test };
}

const cachedSplit = boundedPromiseCache<DatasetSplit>(4);

/** The train/validation/test images of a dataset ref under a sweep seed (cached per process). */
export function loadSplit(ref: DatasetRef, seed: number, options: DatasetLocationOptions = {}): Promise<DatasetSplit> {
  if (ref.name !== "fashion-mnist") return Promise.reject(new Error(`'${ref.name}' is not an image dataset (tables: loadCsvSplit)`));
  const key = JSON.stringify([ref.name, ref.subset ?? null, ref.validationSplit, seed, options]);
  return cachedSplit(key, () =>
    loadFashionMnist(options).then((data) => {
      const numClasses = data.classNames.length;
      const indices = splitIndices(data.train.labels, data.test.labels, numClasses, ref, seed);
      return {
        train: selectImages(data.train, indices.train),
        validation: selectImages(data.train, indices.validation),
        test: selectImages(data.test, indices.test),
        classNames: data.classNames,
        indices,
      };
    }),
  );
}

/** The exact test images a trained model was evaluated on, from its metadata. */
export async function loadTestSetFor(dataset: ModelMetadata["dataset"], options: DatasetLocationOptions = {}): Promise<ImageSet> {
  if (dataset.name !== "fashion-mnist") throw new Error(`'${dataset.name}' is not an image dataset (a table's test rows: loadCsvTestRows)`);
  const split = await loadSplit(
    { name: dataset.name, subset: dataset.subset, validationSplit: dataset.validationSplit },
    dataset.seed,
    options,
  );
  if (dataset.testSubset !== undefined && dataset.testSubset !== split.test.count) {
    throw new Error(`metadata says ${dataset.testSubset} test images, the split gives ${split.test.count}`);
  }
  return split.test;
}
