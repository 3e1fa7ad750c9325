// The sweep document's dataset: a CSV table reference validated field by field, only the mlp template on it, and
// the reference a worker's job carries.
import { describe, expect, it } from "vitest";
import { datasetRefOf } from "../../../server/sweeps/dataset-document";
import { parseSweepDocument } from "../../../server/sweeps/sweep-document";
import { EXAMPLE_SWEEP } from "../../support/sweeps";
import { tabularSweep } from "../../support/tabular";

function errorsOf(input: unknown) {
  const result = parseSweepDocument(input);
  if (result.ok) throw new Error("expected the document to be rejected");
  return result.errors;
}

const withDataset = (dataset: Record<string, unknown>, template = "mlp") => ({ ...tabularSweep(), dataset, model: { template } });

describe("a CSV dataset in the sweep document", () => {
  it("is accepted with defaults, and becomes the job's dataset reference", () => {
    const result = parseSweepDocument(tabularSweep(), 1);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.document.dataset).toEqual({ name: "csv", file: "species.csv", label: "species", ignore: ["id"], validation_split: 0.1, test_split: 0.1 });
    expect(datasetRefOf(result.document.dataset)).toEqual({ name: "csv", file: "species.csv", label: "species", ignore: ["id"], validationSplit: 0.1, testSplit: 0.1 });
    const features = parseSweepDocument(withDataset({ name: "csv", file: "t/iris.csv", label: "y", features: ["b", "a"], test_split: 0.2 }), 1);
    expect(features.ok && datasetRefOf(features.document.dataset)).toEqual({ name: "csv", file: "t/iris.csv", label: "y", features: ["b", "a"], validationSplit: 0.1, testSplit: 0.2 });
  });

  it("keeps the Fashion-MNIST reference as it was", () => {
    const result = parseSweepDocument(EXAMPLE_SWEEP, 1);
    expect(result.ok && datasetRefOf(result.document.dataset)).toEqual({ name: "fashion-mnist", subset: 5000, validationSplit: 0.1 });
  });

  it("rejects the cnn template on a table, at the template field", () => {
    const cnn = { ...tabularSweep(), model: { template: "cnn" }, parameters: { filters: { values: [8] } } };
    expect(errorsOf(cnn)).toEqual([{ path: "model.template", message: "a CSV dataset trains the mlp template (the cnn template needs images)" }]);
  });

  it.each([
    ["no file", { file: "" }, "dataset.file", "file is required"],
    ["a file outside the data directory", { file: "../secrets.csv" }, "dataset.file", "must stay inside SWEEPBOARD_DATA_DIR (no `..` or empty segments)"],
    ["an absolute path", { file: "/data/iris.csv" }, "dataset.file", "must be relative to SWEEPBOARD_DATA_DIR"],
    ["a file that is not CSV", { file: "iris.xlsx" }, "dataset.file", "must name a .csv file"],
    ["no label", { label: "" }, "dataset.label", "label is required (the header of the class column)"],
    ["the label as a feature", { features: ["a", "species"], ignore: undefined }, "dataset.features", "`species` is the label column"],
    ["both features and ignore", { features: ["a"] }, "dataset.ignore", "give either features or ignore, not both"],
    ["an empty column name", { ignore: [""] }, "dataset.ignore.0", "column names cannot be empty"],
    ["a test split of half the rows", { test_split: 0.5 }, "dataset.test_split", ""],
    ["an image-only option", { subset: 1000 }, "dataset", "subset"],
  ])("names the field for %s", (_what, change, path, message) => {
    const errors = errorsOf(withDataset({ name: "csv", file: "iris.csv", label: "species", ignore: ["id"], ...change }));
    expect(errors).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it("names the dataset kinds it knows", () => {
    expect(errorsOf(withDataset({ name: "parquet", file: "x.parquet" }))).toEqual([{ path: "dataset.name", message: "name must be `fashion-mnist` or `csv`" }]);
  });
});
