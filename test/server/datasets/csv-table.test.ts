import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvSourceSchema, loadCsvDataset, parseCsv, splitTable, tableFromCsv } from "../../../server/datasets/csv-table";

/** 3 classes of 40, 60 and 100 rows; feature x = row number, y = class * 10, plus a text column. */
function syntheticCsv(): string {
  const lines = ["x,y,species,note"];
  let row = 0;
  for (const [species, n] of [["setosa", 40], ["versicolor", 60], ["virginica", 100]] as const) {
    for (let i = 0; i < n; i++) lines.push(`${row++},${["setosa", "versicolor", "virginica"].indexOf(species) * 10},${species},"a, b"`);
  }
  return lines.join("\r\n") + "\r\n";
}

const dir = mkdtempSync(path.join(tmpdir(), "sweepboard-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("CSV tabular datasets", () => {
  it("parses quoted fields, doubled quotes, CRLF and blank lines", () => {
    expect(parseCsv('\uFEFFa,b\r\n"1,5","say ""hi"""\n\n3,\n')).toEqual([["a", "b"], ["1,5", 'say "hi"'], ["3", ""]]);
    expect(() => parseCsv('a\n"open')).toThrow(/unterminated/);
  });

  it("reads numeric features and a label column, naming the row and column of a bad cell", () => {
    const table = tableFromCsv("f1,f2,label\n1,2,b\n3,4.5,a\n", { label: "label" });
    expect(table).toMatchObject({ featureNames: ["f1", "f2"], classNames: ["a", "b"], count: 2, width: 2 });
    expect(Array.from(table.features)).toEqual([1, 2, 3, 4.5]);
    expect(Array.from(table.labels)).toEqual([1, 0]);
    expect(tableFromCsv("x,digit\n1,10\n2,9\n3,10\n", { label: "digit" }).classNames).toEqual(["9", "10"]);
    expect(() => tableFromCsv("f1,label\n1,a\nx,b\n", { label: "label" })).toThrow("row 3, column `f1`: \"x\" is not a number");
    expect(() => tableFromCsv("f1,label\n1,a\n2\n", { label: "label" })).toThrow("row 3 has 1 fields; the header has 2");
    expect(() => tableFromCsv("f1,label\n1,a\n", { label: "class" })).toThrow("no column `class` (columns: f1, label)");
    expect(() => tableFromCsv("f1,label\n1,a\n2,a\n", { label: "label" })).toThrow("2 to 256 classes");
    expect(() => tableFromCsv(syntheticCsv(), { label: "species" })).toThrow(/column `note`/); // text is not a feature
  });

  it("splits seeded and stratified, and standardises with the training rows only", () => {
    const table = tableFromCsv(syntheticCsv(), { label: "species", features: ["x", "y"] });
    const source = csvSourceSchema.parse({ path: "unused.csv", label: "species" });
    const split = splitTable(table, source, 7);
    expect([split.train.count, split.validation.count, split.test.count]).toEqual([160, 20, 20]);
    const perClass = (labels: Uint8Array) => [0, 1, 2].map((c) => labels.filter((l) => l === c).length);
    expect(perClass(split.test.labels)).toEqual([4, 6, 10]);
    expect(perClass(split.validation.labels)).toEqual([4, 6, 10]);
    // Every row lands in exactly one split (x is the row number, recovered through the standardisation).
    const { mean, std } = split.standardization;
    const rows = [split.train, split.validation, split.test].flatMap((set) => Array.from({ length: set.count }, (_, r) => Math.round(set.features[r * 2] * std[0] + mean[0]) + 0)); // + 0: no -0
    expect(rows.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const trainX = Array.from({ length: split.train.count }, (_, r) => split.train.features[r * 2]);
    expect(trainX.reduce((a, b) => a + b, 0) / trainX.length).toBeCloseTo(0, 5);
    expect(splitTable(table, source, 7).test.features).toEqual(split.test.features);
    expect(splitTable(table, source, 8).test.features).not.toEqual(split.test.features);
  });

  it("loads a file and validates its options", async () => {
    const file = path.join(dir, "iris.csv");
    writeFileSync(file, syntheticCsv());
    const split = await loadCsvDataset(csvSourceSchema.parse({ path: file, label: "species", features: ["x", "y"], test_split: 0.2 }), 1);
    expect(split.test.count).toBe(40);
    expect(split.classNames).toEqual(["setosa", "versicolor", "virginica"]);
    await expect(loadCsvDataset(csvSourceSchema.parse({ path: path.join(dir, "missing.csv"), label: "y" }), 1)).rejects.toThrow(/ENOENT/);
    const bad = csvSourceSchema.safeParse({ path: file, label: "", test_split: 0.7, extra: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join(".") || i.message).sort()).toEqual(expect.arrayContaining(["label", "test_split"]));
  });
});
