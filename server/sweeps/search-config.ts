// Turns a sweep document's search settings (method, pruner) into the search library's sampler and pruner.
// Option names in documents are snake_case, like the rest of the document (and W&B's); the library's are camelCase.
import { createPruner } from "../../search/pruners/index";
import { createSampler } from "../../search/samplers/registry";
import type { EarlyStoppingOptions } from "../../search/early-stopping";
import type { Pruner, Sampler } from "../../search/types";
import type { SweepDocument } from "./sweep-document";

export interface PrunerInput {
  type: string;
  [option: string]: unknown;
}

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The pruner's options from a document's `pruner` block. The sweep's metric always wins: the pruner ranks trials by
 *  the values stored for it, so another name would only mislabel its reasons (the document refuses one anyway). */
export function prunerOptions(input: PrunerInput, metric: string): Record<string, unknown> {
  const options: Record<string, unknown> = { stepName: "epoch" };
  for (const [key, value] of Object.entries(input)) if (key !== "type") options[camel(key)] = value;
  options.metric = metric;
  return options;
}

/** Parallel workers are the norm, so model-based samplers treat running trials as pending (constant liar). */
export function samplerFor(method: string): Sampler {
  if (method === "tpe") return createSampler("tpe", { multivariate: true, constantLiar: true });
  return createSampler(method);
}

/** The trainer's early-stopping options for a document's `early_stopping` block. */
export function earlyStoppingFor(input: SweepDocument["early_stopping"]): EarlyStoppingOptions | undefined {
  if (!input) return undefined;
  return {
    monitor: input.monitor,
    mode: input.mode,
    patience: input.patience,
    minDelta: input.min_delta,
    baseline: input.baseline ?? null,
    restoreBestWeights: input.restore_best_weights,
    startFromEpoch: input.start_from_epoch,
  };
}

export function prunerFor(input: PrunerInput | undefined, metric: string): Pruner | undefined {
  return input && input.type !== "none" ? createPruner(input.type, prunerOptions(input, metric)) : undefined;
}
