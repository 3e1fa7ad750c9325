import { describe, expect, it } from "vitest";
import { DatasetError, minRowsPerClass, parseCsv, splitRows, splitTable, tableFromCsv } from "../../../server/datasets/csv-table";

/** 3 classes of 40, 60 and 100 rows; feature x = row number, y = class * 10, plus a text column. */
function syntheticCsv(): string {
  const lines = ["x,y,species,note"];
  let row = 0;
  for (const [species, n] of [["setosa", 40], ["versicolor", 60], ["virginica", 100]] as const) {
    for (let i = 0; i < n; i++) lines.push(`${row++},${["setosa", "versicolor", "virginica"].indexOf(species) * 10},${species},"a, b"`);
  }
  return lines.join("\r\n") + "\r\n";
}

const fractions = { validationSplit: 0.1, testSplit: 0.1 };

/** The field a problem is reported against, and its message. */
function problem(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof DatasetError) return [error.field, error.detail];
    throw error;
  }
  throw new Error("expected a DatasetError");
}

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
    expect(problem(() => tableFromCsv("f1,label\n1,a\nx,b\n", { label: "label" }))).toEqual([
      "dataset.features",
      'column `f1` is not numeric (row 3: "x"); list it in dataset.ignore or leave it out of dataset.features',
    ]);
    expect(problem(() => tableFromCsv("f1,label\n1,a\n2\n", { label: "label" }))).toEqual(["dataset.file", "row 3 has 1 fields; the header has 2"]);
    expect(problem(() => tableFromCsv("f1,label\n1,a\n", { label: "class" }))).toEqual(["dataset.label", "no column `class` (columns: f1, label)"]);
    expect(problem(() => tableFromCsv("f1,label\n1,a\n2,a\n", { label: "label" }))).toEqual([
      "dataset.label",
      "the label column `label` has a single class (`a`); a classifier needs at least 2",
    ]);
    expect(problem(() => tableFromCsv("f1,label\n1,a\n2,\n", { label: "label" }))).toEqual(["dataset.label", "row 3 has no label"]);
    expect(problem(() => tableFromCsv(syntheticCsv(), { label: "species" }))[1]).toMatch(/column `note` is not numeric/); // text is not a feature
    const many = ["f,label", ...Array.from({ length: 101 }, (_, i) => `${i},${i / 7}`)].join("\n");
    expect(problem(() => tableFromCsv(many, { label: "label" }))[1]).toMatch(/101 distinct values; at most 100 classes/);
  });

  it("chooses feature columns: all but the label and the ignored ones, or the named ones in their order", () => {
    const text = "id,b,a,label\nx1,1,2,p\nx2,3,4,q\n";
    expect(tableFromCsv(text, { label: "label", ignore: ["id"] }).featureNames).toEqual(["b", "a"]);
    const named = tableFromCsv(text, { label: "label", features: ["a", "b"] });
    expect([named.featureNames, Array.from(named.features)]).toEqual([["a", "b"], [2, 1, 4, 3]]);
    expect(problem(() => tableFromCsv(text, { label: "label", ignore: ["nope"] }))).toEqual(["dataset.ignore", "no column `nope` (columns: id, b, a, label)"]);
    expect(problem(() => tableFromCsv(text, { label: "label", features: ["a", "c"] }))[0]).toBe("dataset.features");
    expect(problem(() => tableFromCsv(text, { label: "label", ignore: ["id", "a", "b"] }))).toEqual(["dataset.features", "no feature columns left"]);
    expect(problem(() => tableFromCsv("a,a,label\n1,2,p\n", { label: "label" }))).toEqual(["dataset.file", "the header names column `a` twice"]);
  });

  it("needs enough rows in every class for a stratified split", () => {
    expect(minRowsPerClass(fractions)).toBe(10);
    expect(minRowsPerClass({ validationSplit: 0.2, testSplit: 0.25 })).toBe(5);
    const table = tableFromCsv(["x,label", ...Array.from({ length: 30 }, (_, i) => `${i},${i < 21 ? "big" : "small"}`)].join("\n"), { label: "label" });
    expect(problem(() => splitRows(table, fractions, 1))).toEqual([
      "dataset.label",
      "class `small` has 9 rows; each class needs at least 10 (validation_split 0.1, test_split 0.1) so that every split gets some",
    ]);
    expect(splitRows(table, { validationSplit: 0.2, testSplit: 0.2 }, 1).train.count).toBe(18);
  });

  it("splits seeded and stratified, and standardises with the training rows only", () => {
    const table = tableFromCsv(syntheticCsv(), { label: "species", features: ["x", "y"] });
    const split = splitTable(table, fractions, 7);
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
    expect(splitTable(table, fractions, 7).test.features).toEqual(split.test.features);
    expect(splitTable(table, fractions, 8).test.features).not.toEqual(split.test.features);
    // splitRows is the same split before standardisation: the rows as read.
    const raw = splitRows(table, fractions, 7).test;
    expect(Array.from(raw.features, (v, i) => (v - mean[i % 2]) / std[i % 2])).toEqual(Array.from(split.test.features, (v) => expect.closeTo(v, 5)));
  });
});
