// A sweep's CSV dataset as a worker finds it: under its data directory, checked for a safe name, split the same
// way every time, re-read when the file changes, and with problems reported against the field to fix.
import { utimesSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvDatasetIssues, csvFileProblem, loadCsvSplit, loadCsvTestRows } from "../../../server/datasets/csv-dataset";
import type { CsvDatasetRef } from "../../../server/training/types";
import { FEATURES, SPECIES, syntheticTable, tempDataDir } from "../../support/tabular";

const data = tempDataDir();
data.write("species.csv", syntheticTable(40));
afterAll(() => data.remove());

const ref = (overrides: Partial<CsvDatasetRef> = {}): CsvDatasetRef => ({
  name: "csv",
  file: "species.csv",
  label: "species",
  ignore: ["id"],
  validationSplit: 0.1,
  testSplit: 0.1,
  ...overrides,
});
const options = { dataDir: data.dir };

describe("CSV datasets on a worker", () => {
  it("finds the file under the data directory and splits it seeded, stratified and standardised", async () => {
    const split = await loadCsvSplit(ref(), 3, options);
    expect(split.path).toBe(path.join(data.dir, "species.csv"));
    expect([split.train.count, split.validation.count, split.test.count]).toEqual([96, 12, 12]);
    expect(split.featureNames).toEqual([...FEATURES]);
    expect(split.classNames).toEqual([...SPECIES]);
    expect(split.standardization.mean).toHaveLength(4);
    expect(await loadCsvSplit(ref(), 3, options)).toBe(split); // cached per process
    // The raw test rows are the same rows, before standardisation.
    const raw = await loadCsvTestRows(ref(), 3, options);
    expect(Array.from(raw.labels)).toEqual(Array.from(split.test.labels));
    const { mean, std } = split.standardization;
    expect(Array.from(raw.features, (v, i) => (v - mean[i % 4]) / std[i % 4])).toEqual(Array.from(split.test.features, (v) => expect.closeTo(v, 5)));
  });

  it("reads the file again once it changes", async () => {
    const file = data.write("edited.csv", syntheticTable(20, 1));
    const first = await loadCsvSplit(ref({ file: "edited.csv" }), 1, options);
    data.write("edited.csv", syntheticTable(30, 1));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const second = await loadCsvSplit(ref({ file: "edited.csv" }), 1, options);
    expect([first.train.count + first.validation.count + first.test.count, second.train.count + second.validation.count + second.test.count]).toEqual([60, 90]);
  });

  it("says where it looked when the file is not there, and how to fix it", async () => {
    await expect(loadCsvSplit(ref({ file: "iris.csv" }), 1, options)).rejects.toThrow(
      `dataset.file: \`iris.csv\` not found (looked in: ${path.join(data.dir, "iris.csv")}); put it in SWEEPBOARD_DATA_DIR on every worker`,
    );
    const saved = process.env.SWEEPBOARD_DATA_DIR;
    delete process.env.SWEEPBOARD_DATA_DIR;
    try {
      await expect(loadCsvSplit(ref(), 1)).rejects.toThrow(/SWEEPBOARD_DATA_DIR is not set on this worker/);
    } finally {
      if (saved !== undefined) process.env.SWEEPBOARD_DATA_DIR = saved;
    }
    await expect(loadCsvSplit(ref({ file: "../species.csv" }), 1, options)).rejects.toThrow(/dataset.file: .* must stay inside SWEEPBOARD_DATA_DIR/);
  });

  it("accepts only relative .csv names that stay inside the data directory", () => {
    expect(csvFileProblem("iris.csv")).toBeNull();
    expect(csvFileProblem("tabular/iris.CSV")).toBeNull();
    expect(csvFileProblem("iris.txt")).toBe("must name a .csv file");
    expect(csvFileProblem("/etc/passwd.csv")).toBe("must be relative to SWEEPBOARD_DATA_DIR");
    expect(csvFileProblem("a\\b.csv")).toBe("must be relative to SWEEPBOARD_DATA_DIR");
    expect(csvFileProblem("../up.csv")).toMatch(/no `..`/);
    expect(csvFileProblem("a//b.csv")).toMatch(/empty segments/);
  });

  it("reports content problems as field errors when this process has the file, and nothing when it has not", async () => {
    data.write("text.csv", "id,x,species\na,1,p\nb,2,q\n");
    data.write("few.csv", ["x,species", ...Array.from({ length: 30 }, (_, i) => `${i},${i < 25 ? "p" : "q"}`)].join("\n"));
    expect(await csvDatasetIssues(ref(), options)).toEqual([]);
    expect(await csvDatasetIssues(ref({ file: "elsewhere.csv" }), options)).toEqual([]); // remote workers may have it
    expect(await csvDatasetIssues(ref({ label: "kind" }), options)).toEqual([
      { path: "dataset.label", message: `no column \`kind\` (columns: id, ${FEATURES.join(", ")}, species)` },
    ]);
    expect(await csvDatasetIssues(ref({ file: "text.csv", ignore: undefined }), options)).toEqual([
      { path: "dataset.features", message: 'column `id` is not numeric (row 2: "a"); list it in dataset.ignore or leave it out of dataset.features' },
    ]);
    expect(await csvDatasetIssues(ref({ file: "few.csv", ignore: undefined }), options)).toEqual([
      { path: "dataset.label", message: expect.stringContaining("class `q` has 5 rows; each class needs at least 10") },
    ]);
  });
});
