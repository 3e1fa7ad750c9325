// The sweep form's dataset choice: Fashion-MNIST (with a subset size) or a CSV table each worker reads from its
// SWEEPBOARD_DATA_DIR (file, label column, columns to ignore); the document entry built from them, and the
// templates each choice can train. Free of React, like sweep-form-document.
import type { SweepDocumentInput } from "../../server/sweeps/sweep-document";
import { TEMPLATES_FOR_DATASET, type DatasetName, type TemplateName } from "../../server/training/types";
import { TEMPLATE_OPTIONS } from "./architecture-form";

export type DatasetFormValues = {
  dataset: DatasetName;
  subset: string;
  "dataset.file": string;
  "dataset.label": string;
  "dataset.ignore": string;
};

export const DEFAULT_DATASET_VALUES: DatasetFormValues = {
  dataset: "fashion-mnist",
  subset: "5000",
  "dataset.file": "",
  "dataset.label": "",
  "dataset.ignore": "",
};

export const DATASET_OPTIONS: readonly { value: DatasetName; label: string }[] = [
  { value: "fashion-mnist", label: "Fashion-MNIST (images)" },
  { value: "csv", label: "CSV table (tabular)" },
];

/** The template choices a dataset can train (only the MLP for a table). */
export const templateOptionsFor = (dataset: DatasetName) => TEMPLATE_OPTIONS.filter((o) => TEMPLATES_FOR_DATASET[dataset].includes(o.value));

/** The template to keep when the dataset changes: the current one if the new dataset takes it. */
export function templateAfterDatasetChange(dataset: DatasetName, template: TemplateName): TemplateName {
  const allowed = TEMPLATES_FOR_DATASET[dataset];
  return allowed.includes(template) ? template : allowed[0];
}

/** Column names, comma-separated (names may hold spaces, so only commas separate). */
const columnNames = (text: string) => text.split(",").map((name) => name.trim()).filter(Boolean);

/** The document's `dataset`; `toScalar` reads the subset as the rest of the form reads numbers. */
export function buildDataset(form: DatasetFormValues, toScalar: (text: string) => number | string | undefined): SweepDocumentInput["dataset"] {
  if (form.dataset === "csv") {
    const ignore = columnNames(form["dataset.ignore"]);
    return { name: "csv", file: form["dataset.file"].trim(), label: form["dataset.label"].trim(), ...(ignore.length ? { ignore } : {}) };
  }
  const subset = toScalar(form.subset);
  // A wrong type is the server's to report (with a path), so the cast only silences the compiler.
  return { name: "fashion-mnist", ...(subset !== undefined ? { subset: subset as number } : {}) };
}

/** Where the server's dataset errors show. `dataset.features` problems (a text column) are fixed by ignoring it. */
export const DATASET_ERROR_SLOTS = {
  "dataset.name": "dataset",
  "dataset.subset": "subset",
  "dataset.file": "dataset.file",
  "dataset.label": "dataset.label",
  "dataset.ignore": "dataset.ignore",
  "dataset.features": "dataset.ignore",
} as const satisfies Record<string, keyof DatasetFormValues>;
