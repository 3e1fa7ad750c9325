// The "New sweep" form's values, the sweep document built from them, and the placing of the server's field errors.
// Kept free of React so it can be unit-tested. The server validates; this only shapes what the user typed.
import type { MetricName, SweepDocumentInput } from "../../server/sweeps/sweep-document";
import { CNN_PARAMETERS, OPTIMIZERS } from "../../server/training/cnn-parameters";
import {
  ARCHITECTURE_CHOICE_FIELDS,
  ARCHITECTURE_LIST_FIELDS,
  DEFAULT_ARCHITECTURE_VALUES,
  LAYER_COUNT_FIELDS,
  architectureParameters,
  forTemplate,
  withPerLayer,
  type ArchitectureFormValues,
} from "./architecture-form";
import { DATASET_ERROR_SLOTS, DEFAULT_DATASET_VALUES, buildDataset, type DatasetFormValues } from "./dataset-form";
import { PRUNER_CHOICES, PRUNER_OPTIONS, type FormPrunerType, type MethodName, type PrunerOption } from "./search-choices";

export type Goal = "maximize" | "minimize";

/** Every metric the schema accepts (the compiler checks the list is complete), with the goal it usually has. */
export const METRIC_CHOICES = {
  val_accuracy: { label: "val_accuracy", goal: "maximize" },
  val_loss: { label: "val_loss", goal: "minimize" },
  accuracy: { label: "accuracy (training)", goal: "maximize" },
  loss: { label: "loss (training)", goal: "minimize" },
} as const satisfies Record<MetricName, { label: string; goal: Goal }>;

/** A continuous range, or a list of values (what a grid search needs: it cannot enumerate a continuous range). */
export type RangeMode = "range" | "values";

/** One text input per pruner option, named `pruner.<option>`. Options shared by several pruners (warm-up,
 *  reduction factor) share the input, so switching pruner keeps what the user typed. */
export type PrunerOptionValues = { [K in PrunerOption as `pruner.${K}`]: string };

/** Keys are the inputs' `name` attributes. Numbers stay strings until the document is built. */
export type SweepFormValues = PrunerOptionValues & ArchitectureFormValues & DatasetFormValues & {
  name: string;
  "learning_rate.mode": RangeMode;
  "learning_rate.min": string;
  "learning_rate.max": string;
  "learning_rate.log": boolean;
  "learning_rate.values": string;
  filters: string;
  kernel_size: string;
  "units.min": string;
  "units.max": string;
  batch_size: string;
  optimizer: string[];
  epochs: string;
  method: MethodName;
  metric: MetricName;
  goal: Goal;
  "pruner.type": FormPrunerType;
  max_trials: string;
  concurrency: string;
  seed: string;
  /** Blank: the server's default (1). */
  priority: string;
  gpu: boolean;
};

export type FieldName = keyof SweepFormValues;
/** The fields typed as text (every one but the checkboxes). */
export type TextFieldName = { [K in FieldName]: SweepFormValues[K] extends string ? K : never }[FieldName];

export const DEFAULT_FORM_VALUES: SweepFormValues = {
  ...DEFAULT_ARCHITECTURE_VALUES,
  ...DEFAULT_DATASET_VALUES,
  name: "",
  "learning_rate.mode": "range",
  "learning_rate.min": "0.0001",
  "learning_rate.max": "0.01",
  "learning_rate.log": true,
  "learning_rate.values": "0.0001, 0.001, 0.01",
  filters: "16, 32, 64",
  kernel_size: "3, 5",
  "units.min": "32",
  "units.max": "256",
  batch_size: "32, 64",
  optimizer: ["adam", "sgd", "rmsprop"],
  epochs: "3",
  method: "random",
  metric: "val_accuracy",
  goal: "maximize",
  "pruner.type": "none",
  "pruner.n_startup_trials": "5",
  "pruner.n_warmup_steps": "1",
  "pruner.interval_steps": "",
  "pruner.percentile": "25",
  "pruner.min_resource": "1",
  "pruner.max_resource": "",
  "pruner.reduction_factor": "3",
  "pruner.min_early_stopping_rate": "",
  "pruner.lower": "0.2",
  "pruner.upper": "",
  max_trials: "8",
  concurrency: "2",
  seed: "",
  priority: "",
  gpu: false,
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

function learningRate(form: SweepFormValues) {
  if (form["learning_rate.mode"] === "values") return values(toList(form["learning_rate.values"]));
  return range(form["learning_rate.min"], form["learning_rate.max"], form["learning_rate.log"] ? "log_uniform_values" : "uniform");
}

/** Hyperband needs the epochs of a full trial; a blank max_resource follows the epochs the trials will run. */
function prunerOptionText(form: SweepFormValues, option: PrunerOption): string {
  const text = form[`pruner.${option}`];
  if (option !== "max_resource" || text.trim() !== "") return text;
  return form.epochs.trim() || String(CNN_PARAMETERS.epochs.default);
}

/** `{ type, ...options }` with the chosen pruner's non-blank options, or undefined when pruning is off. */
export function buildPruner(form: SweepFormValues): SweepDocumentInput["pruner"] {
  const type = form["pruner.type"];
  if (type === "none") return undefined;
  const options: readonly PrunerOption[] = PRUNER_CHOICES[type].options;
  return { type, ...definedEntries(Object.fromEntries(options.map((option) => [option, toScalar(prunerOptionText(form, option))]))) };
}

/** The sweep document to POST to /api/sweeps. Parameters left blank are omitted, so the template's defaults apply. */
export function buildSweepDocument(form: SweepFormValues): SweepDocumentInput {
  const seed = toScalar(form.seed);
  const pruner = buildPruner(form);
  const entries = definedEntries({
    learning_rate: learningRate(form),
    filters: values(toList(form.filters)),
    kernel_size: values(toList(form.kernel_size)),
    units: range(form["units.min"], form["units.max"]),
    batch_size: values(toList(form.batch_size)),
    optimizer: values(form.optimizer),
    epochs: constant(form.epochs),
  });
  const parameters = forTemplate(form.template, withPerLayer(form, { ...entries, ...architectureParameters(form, { list: toList, range: (min, max) => range(min, max) }) }));
  // Wrong types are the server's to report (with a path), so the casts below only silence the compiler.
  return {
    name: form.name.trim(),
    dataset: buildDataset(form, toScalar),
    model: { template: form.template },
    method: form.method,
    metric: { name: form.metric, goal: form.goal },
    parameters: parameters as SweepDocumentInput["parameters"],
    ...(pruner ? { pruner } : {}),
    budget: {
      max_trials: toScalar(form.max_trials) as number,
      ...(form.concurrency.trim() ? { concurrency: toScalar(form.concurrency) as number } : {}),
    },
    ...(seed !== undefined ? { seed: seed as number } : {}),
    ...(form.priority.trim() ? { priority: toScalar(form.priority) as number } : {}),
    ...(form.gpu ? { resources: { gpu: true } } : {}),
  };
}

/** Where a server error is shown: a form field, or `group:<parameter>` for errors about a whole range. */
export type ErrorSlot = FieldName | `group:${(typeof RANGE_PARAMETERS)[number]}`;

const RANGE_PARAMETERS = ["learning_rate", "units", ...LAYER_COUNT_FIELDS] as const;
const LIST_PARAMETERS = ["filters", "kernel_size", "batch_size", "optimizer", "epochs", ...ARCHITECTURE_LIST_FIELDS, ...ARCHITECTURE_CHOICE_FIELDS] as const;
const TOP_LEVEL: Record<string, FieldName> = {
  name: "name",
  ...DATASET_ERROR_SLOTS,
  "model.template": "template",
  "metric.name": "metric",
  "metric.goal": "goal",
  "budget.max_trials": "max_trials",
  "budget.concurrency": "concurrency",
  seed: "seed",
  priority: "priority",
  "resources.gpu": "gpu",
  method: "method",
  pruner: "pruner.type",
};

/** Maps a server error path (e.g. `parameters.learning_rate.min`) to where the form shows it, or null. */
export function errorSlotFor(path: string): ErrorSlot | null {
  if (path in TOP_LEVEL) return TOP_LEVEL[path];
  const [root, parameter, key] = path.split(".");
  // An option the form has no input for (it only sends its own) is the pruner choice's problem.
  if (root === "pruner") return (PRUNER_OPTIONS as readonly string[]).includes(parameter) ? (`pruner.${parameter}` as FieldName) : "pruner.type";
  if (root !== "parameters" || !parameter) return null;
  if ((LIST_PARAMETERS as readonly string[]).includes(parameter)) return parameter as FieldName;
  if ((RANGE_PARAMETERS as readonly string[]).includes(parameter)) {
    if (key === "min" || key === "max" || (key === "values" && parameter === "learning_rate")) return `${parameter}.${key}` as FieldName;
    return `group:${parameter}` as ErrorSlot;
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
