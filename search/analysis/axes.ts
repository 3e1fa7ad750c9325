// Axis descriptions shared by the parallel-coordinate and slice views: how to draw each parameter.
import type { ParameterSpec, ParamValue } from "../parameters";
import { categoriesOf, numericAxis } from "./inputs";

export type ParamAxis =
  | { name: string; type: "numeric"; scale: "linear" | "log"; integer: boolean; range: [number, number] }
  | { name: string; type: "categorical"; categories: ParamValue[] };

export function axisOf(name: string, spec: ParameterSpec): ParamAxis {
  const numeric = numericAxis(spec);
  if (numeric) return { name, type: "numeric", scale: numeric.log ? "log" : "linear", integer: numeric.integer, range: [numeric.min, numeric.max] };
  return { name, type: "categorical", categories: categoriesOf(spec) };
}

/** A trial's coordinate on an axis: the number itself, the category's index, or null when inactive/unknown. */
export function coordinate(axis: ParamAxis, value: ParamValue | undefined): number | null {
  if (value === undefined) return null;
  if (axis.type === "numeric") return typeof value === "number" && Number.isFinite(value) ? value : null;
  const i = axis.categories.findIndex((c) => String(c) === String(value));
  return i < 0 ? null : i;
}
