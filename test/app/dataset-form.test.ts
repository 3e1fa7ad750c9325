// The sweep form's dataset choice: a CSV table builds a document the server accepts, only MLP-compatible choices
// are offered for it, and the server's dataset errors land on the fields that caused them.
import { describe, expect, it } from "vitest";
import { templateAfterDatasetChange, templateOptionsFor } from "../../app/lib/dataset-form";
import { DEFAULT_FORM_VALUES, buildSweepDocument, placeErrors, type SweepFormValues } from "../../app/lib/sweep-form-document";
import { parseSweepDocument } from "../../server/sweeps/sweep-document";

const csvForm = (overrides: Partial<SweepFormValues> = {}): SweepFormValues => ({
  ...DEFAULT_FORM_VALUES,
  name: "iris",
  dataset: "csv",
  template: "mlp",
  "dataset.file": " iris.csv ",
  "dataset.label": "species",
  "dataset.ignore": "id, row number,",
  ...overrides,
});

describe("the CSV dataset in the sweep form", () => {
  it("builds a document the server accepts, with the table's columns and no image subset", () => {
    const doc = buildSweepDocument(csvForm());
    expect(doc.dataset).toEqual({ name: "csv", file: "iris.csv", label: "species", ignore: ["id", "row number"] });
    expect(doc.model).toEqual({ template: "mlp" });
    expect(Object.keys(doc.parameters)).not.toContain("filters"); // the MLP takes no conv parameters
    expect(parseSweepDocument(doc, 1).ok).toBe(true);
    expect(buildSweepDocument(csvForm({ "dataset.ignore": " " })).dataset).toEqual({ name: "csv", file: "iris.csv", label: "species" });
  });

  it("offers only the MLP for a table, and switches a CNN to it when the dataset changes", () => {
    expect(templateOptionsFor("csv").map((o) => o.value)).toEqual(["mlp"]);
    expect(templateOptionsFor("fashion-mnist").map((o) => o.value)).toEqual(["cnn", "mlp"]);
    expect(templateAfterDatasetChange("csv", "cnn")).toBe("mlp");
    expect(templateAfterDatasetChange("fashion-mnist", "mlp")).toBe("mlp");
  });

  it("places the server's dataset errors on the fields", () => {
    const result = parseSweepDocument(buildSweepDocument(csvForm({ "dataset.file": "../iris.csv", "dataset.label": "", template: "cnn" })), 1);
    if (result.ok) throw new Error("expected errors");
    const placed = placeErrors(result.errors);
    expect(placed.bySlot["dataset.file"]).toEqual([expect.stringContaining("inside SWEEPBOARD_DATA_DIR")]);
    expect(placed.bySlot["dataset.label"]).toEqual([expect.stringContaining("label is required")]);
    expect(placed.bySlot.template).toEqual([expect.stringContaining("mlp template")]);
    // Content problems found where the file is (a text column read as a feature) are fixed by ignoring the column.
    expect(placeErrors([{ path: "dataset.features", message: "column `id` is not numeric" }]).bySlot["dataset.ignore"]).toHaveLength(1);
    expect(placed.unplaced).toEqual([]);
  });
});
