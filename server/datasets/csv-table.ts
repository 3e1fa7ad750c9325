// Tabular data from a CSV file with a header row: numeric feature columns and one label column (any values; each
// distinct value is a class). Split seeded and stratified into train / validation / test, and standardised with
// the training rows' mean and standard deviation only, so nothing of the held-out rows leaks into training.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { deriveSeed, createRandom, shuffleInPlace } from "./seeded-random";
import { proportionalQuotas, stratifiedDraw } from "./split";

export const csvSourceSchema = z
  .object({
    path: z.string().min(1, "path is required"),
    /** The label column's header. */
    label: z.string().min(1, "label is required"),
    /** Feature columns' headers; every other column when absent. */
    features: z.array(z.string().min(1)).min(1).optional(),
    validation_split: z.number().gt(0).lt(0.5).default(0.1),
    test_split: z.number().gt(0).lt(0.5).default(0.1),
  })
  .strict();

export type CsvSource = z.output<typeof csvSourceSchema>;

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
  if (quoted) throw new Error("unterminated quoted field at the end of the file");
  if (field !== "" || row.length) rows.push([...row, field]);
  return rows.filter((r) => r.length > 1 || r[0].trim() !== ""); // blank lines
}

/** Class names in a natural order: numerically when every label is a number, else alphabetically. */
function orderClasses(values: Iterable<string>): string[] {
  const names = [...new Set(values)];
  const numeric = names.every((n) => n.trim() !== "" && Number.isFinite(Number(n)));
  return names.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => a.localeCompare(b));
}

export function tableFromCsv(text: string, source: Pick<CsvSource, "label" | "features">): Table {
  const [header, ...rows] = parseCsv(text);
  if (!header || rows.length === 0) throw new Error("the CSV needs a header row and at least one data row");
  const columnOf = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`no column \`${name}\` (columns: ${header.join(", ")})`);
    return index;
  };
  const labelColumn = columnOf(source.label);
  const featureNames = source.features ?? header.filter((_, i) => i !== labelColumn);
  if (featureNames.includes(source.label)) throw new Error(`the label column \`${source.label}\` cannot also be a feature`);
  const featureColumns = featureNames.map(columnOf);
  const classNames = orderClasses(rows.map((r) => r[labelColumn] ?? ""));
  if (classNames.length < 2 || classNames.length > 256) throw new Error(`the label column needs 2 to 256 classes; it has ${classNames.length}`);
  const classIndex = new Map(classNames.map((name, i) => [name, i]));
  const width = featureColumns.length;
  const features = new Float32Array(rows.length * width);
  const labels = new Uint8Array(rows.length);
  rows.forEach((cells, r) => {
    if (cells.length !== header.length) throw new Error(`row ${r + 2} has ${cells.length} fields; the header has ${header.length}`);
    featureColumns.forEach((column, f) => {
      const value = cells[column].trim() === "" ? Number.NaN : Number(cells[column]);
      if (!Number.isFinite(value)) throw new Error(`row ${r + 2}, column \`${header[column]}\`: ${JSON.stringify(cells[column])} is not a number`);
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

/** Seeded, stratified train / validation / test rows of a table, standardised with the training rows' statistics. */
export function splitTable(table: Table, source: Pick<CsvSource, "validation_split" | "test_split">, seed: number): TabularSplit {
  const byClass = stratifiedDraw(table.labels, table.classNames.length, table.count, deriveSeed(seed, "csv-rows"));
  const sizes = byClass.map((rows) => rows.length);
  const testQuotas = proportionalQuotas(sizes, Math.round(table.count * source.test_split));
  const left = sizes.map((n, c) => n - testQuotas[c]);
  const validationQuotas = proportionalQuotas(left, Math.round(table.count * source.validation_split));
  const parts = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  byClass.forEach((rows, c) =>
    rows.forEach((row, i) => (i < testQuotas[c] ? parts.test : i < testQuotas[c] + validationQuotas[c] ? parts.validation : parts.train).push(row)),
  );
  if (parts.train.length === 0) throw new Error(`no training rows left from ${table.count} rows`);
  shuffleInPlace(parts.train, createRandom(deriveSeed(seed, "csv-train-order")));
  shuffleInPlace(parts.validation, createRandom(deriveSeed(seed, "csv-validation-order")));
  parts.test.sort((a, b) => a - b);
  const [train, validation, test] = [parts.train, parts.validation, parts.test].map((rows) => selectRows(table, rows));
  const standardization = standardize([train, validation, test], train);
  return { train, validation, test, featureNames: table.featureNames, classNames: table.classNames, standardization };
}

export async function loadCsvDataset(source: CsvSource, seed: number): Promise<TabularSplit> {
  const text = await readFile(source.path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the CSV dataset ${source.path}: ${error.code ?? error.message}`);
  });
  return splitTable(tableFromCsv(text, source), source, seed);
}
