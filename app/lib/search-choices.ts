// The search methods and pruners the dashboard offers, with the words the form and the sweep page use for them.
// Only types come from search/, so the samplers themselves (TPE, GP) stay out of the browser bundle; the
// `satisfies` clauses make the compiler flag a sampler or pruner added there and not described here.
import type { PrunerName } from "../../search/pruners/index";
import type { SamplerName } from "../../search/samplers/registry";

export type MethodName = SamplerName;

export const METHOD_CHOICES = {
  random: { short: "Random", label: "Random", help: "Independent draws from every range and list: a strong baseline that parallelises perfectly." },
  grid: {
    short: "Grid",
    label: "Grid",
    help: "Every combination once, in order. Continuous ranges need a step, so learning_rate becomes a list of values.",
  },
  "quasi-random": {
    short: "Quasi-random",
    label: "Quasi-random (Halton)",
    help: "Low-discrepancy points that cover the space more evenly than random draws do.",
  },
  tpe: {
    short: "TPE",
    label: "TPE (Bayesian, tree-structured Parzen)",
    help: "Models which values good and bad trials used and samples where good ones are likelier; random for the first 10 trials.",
  },
  gp: {
    short: "GP",
    label: "GP (Gaussian-process Bayesian optimisation)",
    help: "Fits a Gaussian process to the results and tries the most promising point next; suits small budgets.",
  },
} as const satisfies Record<MethodName, { short: string; label: string; help: string }>;

export const METHOD_NAMES = Object.keys(METHOD_CHOICES) as MethodName[];

/** The sweep page's name for a method; a method this build does not know is shown as stored. */
export function methodLabel(method: string): string {
  return method in METHOD_CHOICES ? METHOD_CHOICES[method as MethodName].short : method;
}

/** Pruner options as the sweep document spells them (snake_case); the server maps them to the library's camelCase. */
export type PrunerOption =
  | "n_startup_trials"
  | "n_warmup_steps"
  | "interval_steps"
  | "percentile"
  | "min_resource"
  | "max_resource"
  | "reduction_factor"
  | "min_early_stopping_rate"
  | "lower"
  | "upper";

export const PRUNER_OPTION_FIELDS: Record<PrunerOption, { label: string; hint: string }> = {
  n_startup_trials: { label: "Startup trials", hint: "No pruning until this many trials are complete." },
  n_warmup_steps: { label: "Warm-up epochs", hint: "No trial is pruned before this epoch." },
  interval_steps: { label: "Check every (epochs)", hint: "Blank checks every epoch." },
  percentile: { label: "Percentile", hint: "Keep the top % of trials at each epoch (50 is the median rule)." },
  min_resource: { label: "Min resource (epochs)", hint: "Epoch of the first rung." },
  max_resource: { label: "Max resource (epochs)", hint: "Epochs of a full trial; blank uses epochs." },
  reduction_factor: { label: "Reduction factor", hint: "Each rung keeps the top 1/factor of trials." },
  min_early_stopping_rate: { label: "Min early-stopping rate", hint: "Skips the first rungs; blank is 0." },
  lower: { label: "Lower bound", hint: "Prune a trial whose metric falls below this." },
  upper: { label: "Upper bound", hint: "Prune a trial whose metric rises above this." },
};

export const PRUNER_OPTIONS = Object.keys(PRUNER_OPTION_FIELDS) as PrunerOption[];

/** The pruners the form offers ("successive-halving" is the same rule as "asha", so only one is listed). */
export type FormPrunerType = Exclude<PrunerName, "successive-halving">;

export const PRUNER_CHOICES = {
  none: { label: "None", help: "Every trial trains for all its epochs.", options: [] },
  median: {
    label: "Median",
    help: "Stops a trial whose best value so far is worse than the median of complete trials at the same epoch.",
    options: ["n_startup_trials", "n_warmup_steps", "interval_steps"],
  },
  percentile: {
    label: "Percentile",
    help: "Like median, with a stricter or looser cut: a trial outside the top percentile at an epoch stops.",
    options: ["percentile", "n_startup_trials", "n_warmup_steps", "interval_steps"],
  },
  asha: {
    label: "ASHA (successive halving)",
    help: "Rungs at min_resource × factor^k epochs; only the top 1/factor of trials at a rung train on.",
    options: ["min_resource", "reduction_factor", "min_early_stopping_rate"],
  },
  hyperband: {
    label: "Hyperband",
    help: "Several successive-halving brackets, from aggressive to none, so a slow starter is not always cut.",
    options: ["min_resource", "max_resource", "reduction_factor"],
  },
  threshold: {
    label: "Threshold",
    help: "Stops a trial whose metric leaves fixed bounds after the warm-up: a guard against diverging runs.",
    options: ["lower", "upper", "n_warmup_steps"],
  },
} as const satisfies Record<FormPrunerType, { label: string; help: string; options: readonly PrunerOption[] }>;

export const PRUNER_TYPES = Object.keys(PRUNER_CHOICES) as FormPrunerType[];

export function prunerLabel(type: string): string {
  if (type === "successive-halving") return "Successive halving";
  return type in PRUNER_CHOICES ? PRUNER_CHOICES[type as FormPrunerType].label : type;
}

/** e.g. "Median (n_startup_trials 5, n_warmup_steps 1)", or null when the sweep does not prune. Options are listed
 *  in the form's order: the stored document's key order is not the user's (jsonb reorders keys). */
export function describePruner(pruner: { type: string; [option: string]: unknown } | undefined): string | null {
  if (!pruner || pruner.type === "none") return null;
  const position = (key: string) => {
    const index = (PRUNER_OPTIONS as readonly string[]).indexOf(key);
    return index === -1 ? PRUNER_OPTIONS.length : index;
  };
  const options = Object.entries(pruner)
    .filter(([key]) => key !== "type")
    .sort(([a], [b]) => position(a) - position(b) || a.localeCompare(b))
    .map(([key, value]) => `${key} ${String(value)}`);
  return options.length ? `${prunerLabel(pruner.type)} (${options.join(", ")})` : prunerLabel(pruner.type);
}
