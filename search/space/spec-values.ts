// What values one parameter spec can take: the map from a unit number to a value (shared by the random and
// quasi-random samplers, so log, integer, step and categorical handling lives in one place), membership, and the
// finite value lists grid search and duplicate checks enumerate.
import type { ParameterSpec, ParamValue } from "../parameters";

// Float steps are W&B's q: values are multiples of q. Comparisons allow for binary rounding of k * q.
const STEP_TOLERANCE = 1e-9;

/** Maps u in [0, 1) to a value of the spec, uniformly in the spec's own scale (log for log ranges). */
export function valueFromUnit(spec: ParameterSpec, u: number): ParamValue {
  switch (spec.kind) {
    case "constant":
      return spec.value;
    case "categorical":
      return spec.values[Math.min(spec.values.length - 1, Math.floor(u * spec.values.length))];
    case "int":
      return intFromUnit(spec, u);
    case "float": {
      const x = spec.log ? Math.exp(lerp(Math.log(spec.min), Math.log(spec.max), u)) : lerp(spec.min, spec.max, u);
      return spec.q === undefined ? clamp(x, spec.min, spec.max) : quantize(x, spec.min, spec.max, spec.q);
    }
  }
}

function intFromUnit(spec: Extract<ParameterSpec, { kind: "int" }>, u: number): number {
  if (spec.log) {
    // Optuna's rule: log-uniform over [min - 0.5, max + 0.5], then round, so every integer gets its log-width share.
    const x = Math.exp(lerp(Math.log(Math.max(spec.min - 0.5, 0.5)), Math.log(spec.max + 0.5), u));
    const step = spec.q ?? 1;
    return clamp(spec.min + Math.round((x - spec.min) / step) * step, spec.min, lastIntValue(spec));
  }
  const step = spec.q ?? 1;
  const count = Math.floor((spec.max - spec.min) / step) + 1;
  return spec.min + Math.min(count - 1, Math.floor(u * count)) * step;
}

function lastIntValue(spec: Extract<ParameterSpec, { kind: "int" }>): number {
  const step = spec.q ?? 1;
  return spec.min + Math.floor((spec.max - spec.min) / step) * step;
}

function quantize(x: number, min: number, max: number, q: number): number {
  return clamp(Math.round(x / q) * q, min, max);
}

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Whether `value` is one the spec can produce (type, bounds, integrality, step). */
export function specContains(spec: ParameterSpec, value: unknown): boolean {
  switch (spec.kind) {
    case "constant":
      return value === spec.value;
    case "categorical":
      return spec.values.some((v) => v === value);
    case "int":
      return (
        typeof value === "number" &&
        Number.isInteger(value) &&
        value >= spec.min &&
        value <= spec.max &&
        (spec.q === undefined || (value - spec.min) % spec.q === 0)
      );
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value) || value < spec.min || value > spec.max) return false;
      if (spec.q === undefined || value === spec.min || value === spec.max) return true;
      return Math.abs(value / spec.q - Math.round(value / spec.q)) < STEP_TOLERANCE * Math.max(1, Math.abs(value / spec.q));
  }
}

/** Whether a spec has finitely many values (everything but a float range without a step). */
export function isDiscrete(spec: ParameterSpec): boolean {
  return spec.kind !== "float" || spec.q !== undefined;
}

/** Number of values of a discrete spec; Infinity for a continuous range. */
export function specCardinality(spec: ParameterSpec): number {
  switch (spec.kind) {
    case "constant":
      return 1;
    case "categorical":
      return spec.values.length;
    case "int":
      return Math.floor((spec.max - spec.min) / (spec.q ?? 1)) + 1;
    case "float":
      return spec.q === undefined ? Infinity : floatStepValues(spec.min, spec.max, spec.q).length;
  }
}

/** Every value of a discrete spec, in order; `points` evenly spaced values (in the spec's scale) for a continuous one. */
export function specValues(spec: ParameterSpec, points?: number): ParamValue[] | null {
  switch (spec.kind) {
    case "constant":
      return [spec.value];
    case "categorical":
      return [...spec.values];
    case "int": {
      const step = spec.q ?? 1;
      return Array.from({ length: specCardinality(spec) }, (_, k) => spec.min + k * step);
    }
    case "float":
      if (spec.q !== undefined) return floatStepValues(spec.min, spec.max, spec.q);
      if (points === undefined) return null;
      if (points <= 1 || spec.min === spec.max) return [spec.min];
      // Exact ends: exp(log(min)) need not give min back.
      return Array.from({ length: points }, (_, k) =>
        k === 0 ? spec.min : k === points - 1 ? spec.max : (valueFromUnit(spec, k / (points - 1)) as number),
      );
  }
}

function floatStepValues(min: number, max: number, q: number): number[] {
  const first = Math.ceil(min / q - STEP_TOLERANCE);
  const last = Math.floor(max / q + STEP_TOLERANCE);
  const values = Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => (first + k) * q);
  // A range with no multiple of q inside still has its clamped ends (what W&B's rounding produces).
  return values.length ? values.map((v) => clamp(v, min, max)) : [min];
}
