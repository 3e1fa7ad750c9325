// The data a trial trains on, whatever its kind: three labelled example sets, the model's input shape, and what the
// model artifact records about the data (preprocessing and provenance), so that train-trial stays data-agnostic and
// a downloaded model says exactly how to prepare new inputs.
import { loadCsvSplit } from "../datasets/csv-dataset";
import type { DatasetLocationOptions } from "../datasets/fashion-mnist";
import { loadSplit } from "../datasets/split";
import type { EvaluationInput } from "./evaluation";
import { exampleLayout, PIXEL_SCALE, type ExampleSet } from "./image-batches";
import type { DatasetRef, ModelMetadata } from "./types";

export interface TrainingData {
  train: ExampleSet;
  validation: ExampleSet;
  test: ExampleSet;
  classNames: string[];
  inputShape: number[];
  preprocessing: ModelMetadata["preprocessing"];
  dataset: ModelMetadata["dataset"];
  /** Tables only: the test rows as read, for the evaluation's sample rows. */
  tableRows?: EvaluationInput["tableRows"];
}

export async function loadTrainingData(ref: DatasetRef, seed: number, options: DatasetLocationOptions = {}): Promise<TrainingData> {
  if (ref.name === "csv") {
    const { train, validation, test, rawTest, classNames, featureNames, standardization } = await loadCsvSplit(ref, seed, options);
    return {
      train,
      validation,
      test,
      classNames,
      tableRows: { featureNames, test: rawTest },
      inputShape: [featureNames.length],
      preprocessing: {
        featureNames,
        ...standardization,
        description: `float32 [${featureNames.length}] per row: input i is (column featureNames[i] - mean[i]) / std[i] (the training rows' statistics)`,
      },
      dataset: { ...ref, features: featureNames, seed, testRows: test.count },
    };
  }
  const split = await loadSplit(ref, seed, options);
  const inputShape = exampleLayout(split.train).shape;
  return {
    ...split,
    inputShape,
    preprocessing: { scale: PIXEL_SCALE, description: `grayscale pixels / 255 as float32, shape [${inputShape.join(", ")}] per image (NHWC)` },
    dataset: {
      name: ref.name,
      ...(ref.subset !== undefined ? { subset: ref.subset, testSubset: split.test.count } : {}),
      validationSplit: ref.validationSplit,
      testSplit: "official-test",
      seed,
    },
  };
}
