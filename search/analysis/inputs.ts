// What the analysis builders and importance read: trials with their values, and the space as the study's
// SearchSpace or as plain parameter specs (the walking skeleton's form).
import type { ParameterSpec } from "../parameters";
import type { FrozenTrial, SpaceParameter } from "../types";

export type SpaceLike = Readonly<Record<string, ParameterSpec | SpaceParameter>>;

export function specsOf(space: SpaceLike): Record<string, ParameterSpec> {
  const specs: Record<string, ParameterSpec> = {};
  for (const [name, entry] of Object.entries(space)) specs[name] = "spec" in entry ? entry.spec : entry;
  return specs;
}

/** Complete trials with a finite value, in trial-number order. */
export function completedTrials(trials: readonly FrozenTrial[]): FrozenTrial[] {
  return trials
    .filter((t) => t.state === "complete" && t.value !== null && Number.isFinite(t.value))
    .sort((a, b) => a.number - b.number);
}

/** Numeric axis of a spec: bounds and whether it is drawn on a log scale; null for categorical/constant. */
export function numericAxis(spec: ParameterSpec): { min: number; max: number; log: boolean; integer: boolean; step?: number } | null {
  if (spec.kind !== "int" && spec.kind !== "float") return null;
  return { min: spec.min, max: spec.max, log: spec.log, integer: spec.kind === "int", step: spec.kind === "int" ? (spec.q ?? 1) : spec.q };
}

/** Categories of a categorical or constant spec, as shown (values stringified for JSON-safe comparison). */
export function categoriesOf(spec: ParameterSpec): (string | number | boolean)[] {
  if (spec.kind === "categorical") return [...spec.values];
  if (spec.kind === "constant") return [spec.value];
  return [];
}
