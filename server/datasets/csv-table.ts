// Tabular data from a CSV file with a header row: numeric feature columns and one label column (any values; each
// distinct value is a class). Split seeded and stratified into train / validation / test, and standardised with
// the training rows' mean and standard deviation only, so nothing of the held-out rows leaks into training.
import { deriveSeed, createRandom, shuffleInPlace } from "./seeded-random";
import { proportionalQuotas, stratifiedDraw } from "./split";

/** Which columns a table uses (the sweep document's `dataset.label` / `features` / `ignore`). */
export interface CsvColumns {
  label: string;
  features?: string[];
  ignore?: string[];
}

export interface SplitFractions {
  validationSplit: number;
  testSplit: number;
}

/** The evaluation's class bound in the worker protocol (per-class metrics and a confusion matrix per class). */
export const MAX_CLASSES = 100;

/** A problem with a tabular dataset, named by the sweep-document field the user would change to fix it. The
 *  message starts with the field, so a failed trial's error says where to look. */
export class DatasetError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = "DatasetError";
  }
}

/** Rows of features (row-major, `width` per row) and class indices. */
export interface TabularSet {
  features: Float32Array;
  labels: Uint8Array;
  count: number;
  width: number;
}

export interface Table extends TabularSet {
  featureNames: string[];
  classNames: string[];
}

export interface TabularSplit {
  train: TabularSet;
  validation: TabularSet;
  test: TabularSet;
  featureNames: string[];
  classNames: string[];
  /** Applied to every split; a model's users need it to prepare new rows. */
  standardization: { mean: number[]; std: number[] };
  /** The test rows as read (before standardisation): what sample predictions show. */
  rawTest: TabularSet;
}

/** RFC 4180 fields: quoted fields may hold commas, newlines and doubled quotes; CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const input = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && input[i + 1] === "\n") i++;
      rows.push([...row, field]);
      (row = []), (field = "");
    } else field += c;
  }
  if (quoted) throw new DatasetError("dataset.file", "unterminated quoted field at the end of the file");
  if (field !== "" || row.length) rows.push([...row, field]);
  return rows.filter((r) => r.length > 1 || r[0].trim() !== ""); // blank lines
}

/** Class names in a natural order: numerically when every label is a number, else alphabetically. */
function orderClasses(values: Iterable<string>): string[] {
  const names = [...new Set(values)];
  const numeric = names.every((n) => n.trim() !== "" && Number.isFinite(Number(n)));
  return names.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => a.localeCompare(b));
}

/** Feature columns: the named ones, or every column but the label and the ignored ones. */
function featureColumns(header: string[], columns: CsvColumns): string[] {
  const known = (names: string[] | undefined, field: string) =>
    names?.forEach((name) => {
      if (!header.includes(name)) throw new DatasetError(field, `no column \`${name}\` (columns: ${header.join(", ")})`);
    });
  known([columns.label], "dataset.label");
  known(columns.features, "dataset.features");
  known(columns.ignore, "dataset.ignore");
  const ignored = new Set([columns.label, ...(columns.ignore ?? [])]);
  const names = columns.features ?? header.filter((name) => !ignored.has(name));
  const clash = names.find((name) => ignored.has(name));
  if (clash !== undefined) throw new DatasetError("dataset.features", `\`${clash}\` is the label or ignored, so it cannot be a feature`);
  if (names.length === 0) throw new DatasetError("dataset.features", "no feature columns left");
  return names;
}

function checkClasses(classNames: string[], label: string): void {
  if (classNames.length < 2) {
    const only = classNames.length ? ` (\`${classNames[0]}\`)` : "";
    throw new DatasetError("dataset.label", `the label column \`${label}\` has a single class${only}; a classifier needs at least 2`);
  }
  if (classNames.length > MAX_CLASSES) {
    throw new DatasetError("dataset.label", `the label column \`${label}\` has ${classNames.length} distinct values; at most ${MAX_CLASSES} classes (is it a continuous value?)`);
  }
}

export function tableFromCsv(text: string, columns: CsvColumns): Table {
  const [header, ...rows] = parseCsv(text);
  if (!header || rows.length === 0) throw new DatasetError("dataset.file", "the CSV needs a header row and at least one data row");
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate !== undefined) throw new DatasetError("dataset.file", `the header names column \`${duplicate}\` twice`);
  const featureNames = featureColumns(header, columns);
  const labelColumn = header.indexOf(columns.label);
  const columnsRead = featureNames.map((name) => header.indexOf(name));
  rows.forEach((cells, r) => {
    if (cells.length !== header.length) throw new DatasetError("dataset.file", `row ${r + 2} has ${cells.length} fields; the header has ${header.length}`);
    if (cells[labelColumn].trim() === "") throw new DatasetError("dataset.label", `row ${r + 2} has no label`);
  });
  const classNames = orderClasses(rows.map((r) => r[labelColumn]));
  checkClasses(classNames, columns.label);
  const classIndex = new Map(classNames.map((name, i) => [name, i]));
  const width = columnsRead.length;
  const features = new Float32Array(rows.length * width);
  const labels = new Uint8Array(rows.length);
  rows.forEach((cells, r) => {
    columnsRead.forEach((column, f) => {
      const value = cells[column].trim() === "" ? Number.NaN : Number(cells[column]);
      if (!Number.isFinite(value)) {
        throw new DatasetError(
          "dataset.features",
          `column \`${header[column]}\` is not numeric (row ${r + 2}: ${JSON.stringify(cells[column])}); list it in dataset.ignore or leave it out of dataset.features`,
        );
      }
      features[r * width + f] = value;
    });
    labels[r] = classIndex.get(cells[labelColumn])!;
  });
  return { features, labels, count: rows.length, width, featureNames, classNames };
}

function selectRows(table: TabularSet, indices: number[]): TabularSet {
  const features = new Float32Array(indices.length * table.width);
  indices.forEach((row, i) => features.set(table.features.subarray(row * table.width, (row + 1) * table.width), i * table.width));
  return { features, labels: Uint8Array.from(indices, (row) => table.labels[row]), count: indices.length, width: table.width };
}

function standardize(sets: TabularSet[], train: TabularSet): TabularSplit["standardization"] {
  const mean = Array.from({ length: train.width }, (_, f) => {
    let sum = 0;
    for (let r = 0; r < train.count; r++) sum += train.features[r * train.width + f];
    return sum / train.count;
  });
  const std = mean.map((m, f) => {
    let sum = 0;
    for (let r = 0; r < train.count; r++) sum += (train.features[r * train.width + f] - m) ** 2;
    return Math.sqrt(sum / train.count) || 1; // a constant column stays 0 instead of dividing by zero
  });
  for (const set of sets) set.features.forEach((v, i) => (set.features[i] = (v - mean[i % set.width]) / std[i % set.width]));
  return { mean, std };
}

/** Rows a class needs so that the validation and test splits can each hold one of them. */
export function minRowsPerClass(fractions: SplitFractions): number {
  return Math.ceil(1 / Math.min(fractions.validationSplit, fractions.testSplit) - 1e-9);
}

/** Seeded, stratified train / validation / test rows of a table, as read (not standardised). */
export function splitRows(table: Table, fractions: SplitFractions, seed: number): Pick<TabularSplit, "train" | "validation" | "test"> {
  const byClass = stratifiedDraw(table.labels, table.classNames.length, table.count, deriveSeed(seed, "csv-rows"));
  const sizes = byClass.map((rows) => rows.length);
  const needed = minRowsPerClass(fractions);
  const small = sizes.findIndex((n) => n < needed);
  if (small >= 0) {
    const split = `validation_split ${fractions.validationSplit}, test_split ${fractions.testSplit}`;
    throw new DatasetError("dataset.label", `class \`${table.classNames[small]}\` has ${sizes[small]} rows; each class needs at least ${needed} (${split}) so that every split gets some`);
  }
  const testQuotas = proportionalQuotas(sizes, Math.round(table.count * fractions.testSplit));
  const left = sizes.map((n, c) => n - testQuotas[c]);
  const validationQuotas = proportionalQuotas(left, Math.round(table.count * fractions.validationSplit));
  const parts = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  byClass.forEach((rows, c) =>
    rows.forEach((row, i) => (i < testQuotas[c] ? parts.test : i < testQuotas[c] + validationQuotas[c] ? parts.validation : parts.train).push(row)),
  );
  if (parts.train.length === 0) throw new DatasetError("dataset.validation_split", `no training rows left from ${table.count} rows`);
  shuffleInPlace(parts.train, createRandom(deriveSeed(seed, "csv-train-order")));
  shuffleInPlace(parts.validation, createRandom(deriveSeed(seed, "csv-validation-order")));
  parts.test.sort((a, b) => a - b);
  return { train: selectRows(table, parts.train), validation: selectRows(table, parts.validation), test: selectRows(table, parts.test) };
}

/** splitRows, standardised with the training rows' statistics. */
export function splitTable(table: Table, fractions: SplitFractions, seed: number): TabularSplit {
  const { train, validation, test: rawTest } = splitRows(table, fractions, seed);
  const test = { ...rawTest, features: rawTest.features.slice() };
  const standardization = standardize([train, validation, test], train);
  return { train, validation, test, rawTest, featureNames: table.featureNames, classNames: table.classNames, standardization };
}
