// How model-based samplers see a parameter: numeric parameters live on an internal axis (log axis for log
// parameters) with bounds that include half a step beyond each end for ints/quantized values, so every grid value
// owns an equal-width bin; categorical parameters are indices.
import type { ParameterSpec, ParamValue } from "../parameters";

export interface NumericDomain {
  readonly kind: "numeric";
  readonly log: boolean;
  /** Grid step for ints and quantized floats (grid anchored at min); undefined for continuous floats. */
  readonly step: number | undefined;
  readonly isInt: boolean;
  readonly min: number;
  readonly max: number;
  /** Internal bounds (log axis for log parameters, half-step margins on grids). */
  readonly lo: number;
  readonly hi: number;
}

export interface CategoricalDomain {
  readonly kind: "categorical";
  readonly values: readonly ParamValue[];
}

export type Domain = NumericDomain | CategoricalDomain;

export function domainOf(spec: ParameterSpec): Domain | null {
  if (spec.kind === "constant") return null;
  if (spec.kind === "categorical") return { kind: "categorical", values: spec.values };
  const isInt = spec.kind === "int";
  const step = isInt ? (spec.q ?? 1) : spec.q;
  const half = step === undefined ? 0 : step / 2;
  // A log axis cannot reach 0: a half-step margin that would cross it is replaced by a multiplicative one.
  const lowEdge = spec.log && spec.min - half <= 0 ? spec.min / 2 : spec.min - half;
  const t = (v: number) => (spec.log ? Math.log(v) : v);
  return { kind: "numeric", log: spec.log, step, isInt, min: spec.min, max: spec.max, lo: t(lowEdge), hi: t(spec.max + half) };
}

export function toInternal(domain: NumericDomain, value: number): number {
  return domain.log ? Math.log(value) : value;
}

/** Maps an internal coordinate back to a legal value: onto the grid (if any) and inside [min, max]. Grids follow
 *  the space's conventions: int steps count from min; float steps (W&B's q) are multiples of q, clamped. */
export function fromInternal(domain: NumericDomain, u: number): number {
  const x = domain.log ? Math.exp(u) : u;
  const { step, min, max } = domain;
  if (step === undefined) return Math.min(max, Math.max(min, x));
  if (!domain.isInt) return Math.min(max, Math.max(min, Math.round(x / step) * step));
  const lastIndex = Math.floor((max - min) / step + 1e-9);
  return Math.round(min + Math.min(lastIndex, Math.max(0, Math.round((x - min) / step))) * step);
}

/** The internal interval of a grid value's bin; a point interval for continuous floats. */
export function binOf(domain: NumericDomain, value: number): [number, number] {
  if (domain.step === undefined) return [toInternal(domain, value), toInternal(domain, value)];
  const half = domain.step / 2;
  const a = value - half > 0 || !domain.log ? toInternal(domain, value - half) : domain.lo;
  return [Math.max(domain.lo, a), Math.min(domain.hi, toInternal(domain, value + half))];
}

export function categoryIndex(domain: CategoricalDomain, value: ParamValue): number {
  return domain.values.indexOf(value);
}

/** A uniform draw over the domain (log-uniform on log axes, equal mass per grid value). */
export function randomValue(spec: ParameterSpec, rand: () => number): ParamValue {
  const domain = domainOf(spec);
  if (domain === null) return (spec as { value: ParamValue }).value;
  if (domain.kind === "categorical") return domain.values[Math.floor(rand() * domain.values.length)];
  return fromInternal(domain, domain.lo + rand() * (domain.hi - domain.lo));
}
