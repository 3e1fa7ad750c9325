// The "New sweep" form's values, the sweep document built from them, and the placing of the server's field errors.
// Kept free of React so it can be unit-tested. The server validates; this only shapes what the user typed.
import type { MetricName, SweepDocumentInput } from "../../server/sweeps/sweep-document";
import { OPTIMIZERS } from "../../server/training/cnn-parameters";

export type Goal = "maximize" | "minimize";

/** Every metric the schema accepts (the compiler checks the list is complete), with the goal it usually has. */
export const METRIC_CHOICES = {
  val_accuracy: { label: "val_accuracy", goal: "maximize" },
  val_loss: { label: "val_loss", goal: "minimize" },
  accuracy: { label: "accuracy (training)", goal: "maximize" },
  loss: { label: "loss (training)", goal: "minimize" },
} as const satisfies Record<MetricName, { label: string; goal: Goal }>;

/** Keys are the inputs' `name` attributes. Numbers stay strings until the document is built. */
export interface SweepFormValues {
  name: string;
  subset: string;
  "learning_rate.min": string;
  "learning_rate.max": string;
  "learning_rate.log": boolean;
  filters: string;
  kernel_size: string;
  "units.min": string;
  "units.max": string;
  batch_size: string;
  optimizer: string[];
  epochs: string;
  metric: MetricName;
  goal: Goal;
  max_trials: string;
  concurrency: string;
  seed: string;
}

export type FieldName = keyof SweepFormValues;
/** The fields typed as text (every one but the checkboxes). */
export type TextFieldName = { [K in FieldName]: SweepFormValues[K] extends string ? K : never }[FieldName];

export const DEFAULT_FORM_VALUES: SweepFormValues = {
  name: "",
  subset: "5000",
  "learning_rate.min": "0.0001",
  "learning_rate.max": "0.01",
  "learning_rate.log": true,
  filters: "16, 32, 64",
  kernel_size: "3, 5",
  "units.min": "32",
  "units.max": "256",
  batch_size: "32, 64",
  optimizer: ["adam", "sgd", "rmsprop"],
  epochs: "3",
  metric: "val_accuracy",
  goal: "maximize",
  max_trials: "8",
  concurrency: "2",
  seed: "",
};

export const OPTIMIZER_CHOICES: readonly string[] = OPTIMIZERS;

type Scalar = number | string;

/** "" is left out (the server applies its default); text that is not a number is sent as typed so the server
 *  names the problem at the right field. */
function toScalar(text: string): Scalar | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : trimmed;
}

function toList(text: string): Scalar[] {
  return text
    .split(/[,\s]+/)
    .map(toScalar)
    .filter((v): v is Scalar => v !== undefined);
}

function range(min: string, max: string, distribution?: string) {
  const lo = toScalar(min);
  const hi = toScalar(max);
  if (lo === undefined && hi === undefined) return undefined;
  return { ...(distribution ? { distribution } : {}), ...(lo !== undefined ? { min: lo } : {}), ...(hi !== undefined ? { max: hi } : {}) };
}

function values(list: Scalar[]) {
  return list.length ? { values: list } : undefined;
}

function constant(text: string) {
  const value = toScalar(text);
  return value === undefined ? undefined : { value };
}

function definedEntries<T>(record: Record<string, T | undefined>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Record<string, T>;
}

/** The sweep document to POST to /api/sweeps. Parameters left blank are omitted, so the CNN template defaults apply. */
export function buildSweepDocument(form: SweepFormValues): SweepDocumentInput {
  const subset = toScalar(form.subset);
  const seed = toScalar(form.seed);
  const parameters = definedEntries({
    learning_rate: range(form["learning_rate.min"], form["learning_rate.max"], form["learning_rate.log"] ? "log_uniform_values" : "uniform"),
    filters: values(toList(form.filters)),
    kernel_size: values(toList(form.kernel_size)),
    units: range(form["units.min"], form["units.max"]),
    batch_size: values(toList(form.batch_size)),
    optimizer: values(form.optimizer),
    epochs: constant(form.epochs),
  });
  // Wrong types are the server's to report (with a path), so the casts below only silence the compiler.
  return {
    name: form.name.trim(),
    dataset: { name: "fashion-mnist", ...(subset !== undefined ? { subset: subset as number } : {}) },
    model: { template: "cnn" },
    method: "random",
    metric: { name: form.metric, goal: form.goal },
    parameters: parameters as SweepDocumentInput["parameters"],
    budget: {
      max_trials: toScalar(form.max_trials) as number,
      ...(form.concurrency.trim() ? { concurrency: toScalar(form.concurrency) as number } : {}),
    },
    ...(seed !== undefined ? { seed: seed as number } : {}),
  };
}

/** Where a server error is shown: a form field, or `group:<parameter>` for errors about a whole range. */
export type ErrorSlot = FieldName | "group:learning_rate" | "group:units";

const RANGE_PARAMETERS = ["learning_rate", "units"] as const;
const LIST_PARAMETERS = ["filters", "kernel_size", "batch_size", "optimizer", "epochs"] as const;
const TOP_LEVEL: Record<string, FieldName> = {
  name: "name",
  "dataset.subset": "subset",
  "metric.name": "metric",
  "metric.goal": "goal",
  "budget.max_trials": "max_trials",
  "budget.concurrency": "concurrency",
  seed: "seed",
};

/** Maps a server error path (e.g. `parameters.learning_rate.min`) to where the form shows it, or null. */
export function errorSlotFor(path: string): ErrorSlot | null {
  if (path in TOP_LEVEL) return TOP_LEVEL[path];
  const [root, parameter, key] = path.split(".");
  if (root !== "parameters" || !parameter) return null;
  if ((LIST_PARAMETERS as readonly string[]).includes(parameter)) return parameter as FieldName;
  if ((RANGE_PARAMETERS as readonly string[]).includes(parameter)) {
    return key === "min" || key === "max" ? (`${parameter}.${key}` as FieldName) : (`group:${parameter}` as ErrorSlot);
  }
  return null;
}

export interface PlacedErrors {
  bySlot: Partial<Record<ErrorSlot, string[]>>;
  /** Errors no field owns (the whole document, unknown parameters): listed at the top of the form. */
  unplaced: { path: string; message: string }[];
}

/** Once the user edits a field, its errors (and those of the range it belongs to) are out of date. */
export function withoutErrorsFor(placed: PlacedErrors, field: FieldName): PlacedErrors {
  const group = `group:${field.split(".")[0]}` as ErrorSlot;
  if (!placed.bySlot[field] && !placed.bySlot[group]) return placed;
  const { [field]: _field, [group]: _group, ...bySlot } = placed.bySlot;
  return { ...placed, bySlot };
}

export function placeErrors(errors: { path: string; message: string }[]): PlacedErrors {
  const placed: PlacedErrors = { bySlot: {}, unplaced: [] };
  for (const error of errors) {
    const slot = errorSlotFor(error.path);
    if (slot) (placed.bySlot[slot] ??= []).push(error.message);
    else placed.unplaced.push(error);
  }
  return placed;
}
