// A small tabular dataset for tests: a seeded synthetic 3-class table (four numeric features on very different
// scales, an id column that is not a feature, a text label), written as CSV into a temporary data directory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRng } from "../../search/rng";

export const SPECIES = ["setosa", "versicolor", "virginica"] as const;
export const FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_area"] as const;
/** Class centres per feature, in units of each feature's noise: separable enough for an MLP to beat 0.9. */
const CENTRES = [
  [0, 2, 0, 0],
  [2.5, 0, 2, 1],
  [0, 0, 4.5, 3],
];
/** Features live on scales from 0.01 to 1000, so training only works once they are standardised. */
const SCALES = [1, 0.01, 10, 1000];

/** `rowsPerClass` rows per species, shuffled, with header id,<features>,species. */
export function syntheticTable(rowsPerClass = 60, seed = 1): string {
  const random = createRng(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows: string[] = [];
  SPECIES.forEach((species, c) => {
    for (let i = 0; i < rowsPerClass; i++) {
      const values = CENTRES[c].map((centre, f) => ((centre + gaussian()) * SCALES[f]).toPrecision(4));
      rows.push([`r${c}-${i}`, ...values, species].join(","));
    }
  });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return [["id", ...FEATURES, "species"].join(","), ...rows].join("\n") + "\n";
}

export interface DataDir {
  dir: string;
  /** Writes `text` as `name` in the data directory and returns its path. */
  write(name: string, text: string): string;
  remove(): void;
}

export function tempDataDir(): DataDir {
  const dir = mkdtempSync(path.join(tmpdir(), "sweepboard-data-"));
  return {
    dir,
    write(name, text) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The dataset entry of a sweep document for the synthetic table. */
export const CSV_DATASET = { name: "csv", file: "species.csv", label: "species", ignore: ["id"] } as const;

/** A sweep of small MLPs on the synthetic table: a few seconds per trial on one core. */
export function tabularSweep(overrides: { name?: string; max_trials?: number } = {}) {
  return {
    name: overrides.name ?? "species-mlp",
    dataset: { ...CSV_DATASET },
    model: { template: "mlp" },
    method: "random",
    metric: { name: "val_accuracy", goal: "maximize" },
    parameters: {
      learning_rate: { distribution: "log_uniform_values", min: 0.005, max: 0.02 },
      units: { values: [16, 32] },
      batch_size: { value: 16 },
      epochs: { value: 15 },
    },
    budget: { max_trials: overrides.max_trials ?? 2, concurrency: 1 },
    seed: 4,
  };
}
