// Every limit on a sweep document, in one table (README, "The sweep document", lists them). The search space's own
// caps live in the search library, which validates `parameters`; they are repeated here by reference.
import { MAX_LAYERS, MAX_NAME_LENGTH, MAX_PARAMETERS, MAX_VALUE_LENGTH, MAX_VALUES } from "../../search/space/parse";
import { JSON_BODY_LIMITS, LOG_EXCERPT_BYTES, MAX_ERROR_MESSAGE_LENGTH, MAX_FIELD_ERRORS } from "./input-limits";

/** Metric values a report or a document may carry: beyond this a number is a bug or an attack, not a metric. */
export const MAX_METRIC_MAGNITUDE = 1e30;

export const DOCUMENT_LIMITS = {
  /** Checked on the raw body before anything else: nesting, values in all, any string, key, object, list. */
  edge: JSON_BODY_LIMITS,
  nameLength: 100,
  descriptionLength: 2_000,
  /** `dataset.file` (a path) and `dataset.label` / `features` / `ignore` entries (column headers). */
  fileLength: 500,
  columnNameLength: 200,
  /** Entries of `dataset.features` or `dataset.ignore`. */
  columns: 10_000,
  parameters: MAX_PARAMETERS,
  parameterNameLength: MAX_NAME_LENGTH,
  values: MAX_VALUES,
  valueLength: MAX_VALUE_LENGTH,
  layers: MAX_LAYERS,
  /** Characters of a pruner option given as text (`step_name`). */
  prunerTextLength: 100,
  priority: { min: 0.01, max: 1_000 },
  maxTrials: 10_000,
  concurrency: 64,
  maxMinutes: 60 * 24 * 365,
  /** Bound on metric values the document names (`target_value`, `baseline`, pruner thresholds), as on reports. */
  metricMagnitude: MAX_METRIC_MAGNITUDE,
  /** What a rejected document gets back, and what of it is logged. */
  errors: MAX_FIELD_ERRORS,
  errorMessageLength: MAX_ERROR_MESSAGE_LENGTH,
  logExcerptBytes: LOG_EXCERPT_BYTES,
} as const;
