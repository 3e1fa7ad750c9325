// A sweep's CSV dataset as a worker sees it: the sweep names a file, and each worker finds it under its own data
// directory (SWEEPBOARD_DATA_DIR, as each worker finds Fashion-MNIST locally), so the file never travels over the
// wire. Parsed and split once per (file version, columns, fractions, seed) per process.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { CsvDatasetRef } from "../training/types";
import { DatasetError, splitRows, splitTable, tableFromCsv, type TabularSet, type TabularSplit } from "./csv-table";
import type { DatasetLocationOptions } from "./fashion-mnist";
import { boundedPromiseCache } from "./promise-cache";

/** What `dataset.file` may be: a relative path to a .csv file that stays inside the data directory. */
export function csvFileProblem(file: string): string | null {
  if (!/\.csv$/i.test(file)) return "must name a .csv file";
  if (path.isAbsolute(file) || /^[a-z]:/i.test(file) || file.includes("\\")) return "must be relative to SWEEPBOARD_DATA_DIR";
  if (file.split("/").some((part) => part === ".." || part === "")) return "must stay inside SWEEPBOARD_DATA_DIR (no `..` or empty segments)";
  return null;
}

/** Where this process looks for `file`: $SWEEPBOARD_DATA_DIR/<file> (null when no data directory is configured). */
export function csvLocation(file: string, options: DatasetLocationOptions = {}): string | null {
  const dataDir = options.dataDir ?? process.env.SWEEPBOARD_DATA_DIR;
  return dataDir ? path.resolve(dataDir, file) : null;
}

async function findCsv(ref: CsvDatasetRef, options: DatasetLocationOptions): Promise<{ file: string; version: string }> {
  const problem = csvFileProblem(ref.file);
  if (problem) throw new DatasetError("dataset.file", `\`${ref.file}\` ${problem}`);
  const file = csvLocation(ref.file, options);
  if (!file) {
    throw new DatasetError("dataset.file", `\`${ref.file}\` not found: SWEEPBOARD_DATA_DIR is not set on this worker; set it to the folder holding the file`);
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    throw new DatasetError("dataset.file", `\`${ref.file}\` not found (looked in: ${file}); put it in SWEEPBOARD_DATA_DIR on every worker`);
  }
  // The version makes an edited file a new cache entry in a long-lived trainer process.
  return { file, version: `${info.mtimeMs}:${info.size}` };
}

export interface CsvSplit extends TabularSplit {
  /** Where this worker read the file. */
  path: string;
}

const cachedSplit = boundedPromiseCache<CsvSplit>(4);

async function readTable(ref: CsvDatasetRef, file: string) {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new DatasetError("dataset.file", `cannot read ${file}: ${error.code ?? error.message}`);
  });
  return tableFromCsv(text, ref);
}

/** The standardised train / validation / test rows of a CSV dataset under a sweep seed (cached per process). */
export async function loadCsvSplit(ref: CsvDatasetRef, seed: number, options: DatasetLocationOptions = {}): Promise<CsvSplit> {
  const { file, version } = await findCsv(ref, options);
  const key = JSON.stringify([file, version, ref.label, ref.features ?? null, ref.ignore ?? null, ref.validationSplit, ref.testSplit, seed]);
  return cachedSplit(key, async () => ({ ...splitTable(await readTable(ref, file), ref, seed), path: file }));
}

/** The exact test rows a model was evaluated on, as read from the CSV (before standardisation), for checking a
 *  downloaded model with nothing but its metadata. */
export async function loadCsvTestRows(ref: CsvDatasetRef, seed: number, options: DatasetLocationOptions = {}): Promise<TabularSet> {
  const { file } = await findCsv(ref, options);
  return splitRows(await readTable(ref, file), ref, seed).test;
}

/** Field errors in a CSV dataset this process can read (the server, at sweep creation). A file it cannot find is
 *  no error here: remote workers may have it; a trial that does not find it fails saying where it looked. */
export async function csvDatasetIssues(ref: CsvDatasetRef, options: DatasetLocationOptions = {}): Promise<{ path: string; message: string }[]> {
  const file = csvLocation(ref.file, options);
  if (csvFileProblem(ref.file) || !file || !(await stat(file).catch(() => null))?.isFile()) return [];
  try {
    splitRows(await readTable(ref, file), ref, 0); // the checks do not depend on the seed; nothing is cached
    return [];
  } catch (error) {
    if (error instanceof DatasetError) return [{ path: error.field, message: error.detail }];
    throw error;
  }
}
