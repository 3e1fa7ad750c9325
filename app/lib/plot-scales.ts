// Scales and colours for the analysis charts: values to unit positions with ticks (linear, log, integer,
// categorical), tick labels, and the colour gradients. Pure, unit-tested in test/app.
import type { ParamAxis } from "../../search/analysis/axes";

export type Goal = "maximize" | "minimize";
// ---------------------------------------------------------------------------------------------------------------
// Scales: values to a unit position in [0, 1] (0 = bottom / left), plus ticks at unit positions.

export interface Tick {
  /** Position along the axis in [0, 1]. */
  at: number;
  label: string;
}

export interface Scale {
  kind: "linear" | "log" | "categorical";
  unit(value: number): number;
  ticks: Tick[];
}

export const clamp01 = (u: number) => (Number.isFinite(u) ? Math.min(1, Math.max(0, u)) : 0.5);
/** Strips float noise (0.30000000000000004) from computed tick values. */
const tidy = (v: number) => Number(v.toPrecision(12));

/** Round tick values ("nice numbers": 1, 2, 5 × 10^k steps) inside [lo, hi]; integers only when `integer`. */
export function niceTicks(lo: number, hi: number, count = 5, integer = false): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normal = raw / magnitude;
  let step = (normal < 1.5 ? 1 : normal < 3 ? 2 : normal < 7 ? 5 : 10) * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) ticks.push(tidy(i * step));
  return ticks;
}

/** Decimals that show a tick step without noise: step 0.05 → 2. */
function decimalsFor(step: number): number {
  return Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));
}

export function linearScale(lo: number, hi: number, options: { integer?: boolean; count?: number } = {}): Scale {
  if (!(hi > lo)) {
    return { kind: "linear", unit: () => 0.5, ticks: [{ at: 0.5, label: formatTickValue(lo) }] };
  }
  const values = niceTicks(lo, hi, options.count ?? 5, options.integer);
  const step = values.length > 1 ? values[1] - values[0] : hi - lo;
  const decimals = options.integer ? 0 : decimalsFor(step);
  const unit = (v: number) => clamp01((v - lo) / (hi - lo));
  return {
    kind: "linear",
    unit,
    ticks: values.map((v) => ({ at: unit(v), label: Math.abs(v) >= 1e5 || (v !== 0 && decimals > 5) ? formatTickValue(v) : v.toFixed(decimals) })),
  };
}

/** A log axis: ticks at powers of ten, with 2× and 5× when the range spans less than two decades. */
export function logScale(lo: number, hi: number, options: { integer?: boolean } = {}): Scale {
  if (!(lo > 0) || !(hi > lo)) return linearScale(lo, hi, options);
  const [a, b] = [Math.log10(lo), Math.log10(hi)];
  const unit = (v: number) => (v > 0 ? clamp01((Math.log10(v) - a) / (b - a)) : 0);
  const inRange = (v: number) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const decades: number[] = [];
  for (let k = Math.floor(a); k <= Math.ceil(b); k++) decades.push(k);
  let values = decades.map((k) => tidy(10 ** k)).filter(inRange);
  if (values.length < 3) values = decades.flatMap((k) => [1, 2, 5].map((m) => tidy(m * 10 ** k))).filter(inRange);
  if (values.length < 2) values = [lo, hi];
  if (options.integer) values = values.filter((v) => Number.isInteger(v));
  // One notation per axis: 5e-4, 1e-3, …, 1e-2 rather than 5e-3 next to 0.01.
  const exponent = values.some((v) => v < 0.01 || v >= 1e5);
  return { kind: "log", unit, ticks: values.map((v) => ({ at: unit(v), label: exponent ? exponentLabel(v) : formatTickValue(v) })) };
}

/** Categories evenly spaced: as points on [0, 1] (parallel coordinates) or centred in equal bands (scatter x). */
export function categoricalScale(categories: readonly unknown[], layout: "points" | "bands" = "points"): Scale {
  const n = categories.length;
  const unit = (index: number) => {
    if (layout === "bands") return n ? (index + 0.5) / n : 0.5;
    return n > 1 ? index / (n - 1) : 0.5;
  };
  return { kind: "categorical", unit, ticks: categories.map((c, i) => ({ at: unit(i), label: String(c) })) };
}

/** The scale of a parameter axis; categorical coordinates are category indices (as the API sends them). */
export function paramScale(axis: ParamAxis, layout: "points" | "bands" = "points"): Scale {
  if (axis.type === "categorical") return categoricalScale(axis.categories, layout);
  const [lo, hi] = axis.range;
  return axis.scale === "log" ? logScale(lo, hi, { integer: axis.integer }) : linearScale(lo, hi, { integer: axis.integer });
}

/** What kind of axis it is, in a few words under its name. */
export function axisCaption(axis: ParamAxis): string {
  if (axis.type === "categorical") return "categorical";
  return [axis.scale === "log" ? "log" : null, axis.integer ? "int" : null].filter(Boolean).join(" · ") || "linear";
}

/** Compact tick labels: 3e-4, 0.01, 0.25, 128, 1.5e+6. */
export function formatTickValue(v: number): string {
  if (!Number.isFinite(v)) return "—";
  if (v === 0) return "0";
  const abs = Math.abs(v);
  if (abs >= 0.01 && abs < 1e5) return String(Number(v.toPrecision(3)));
  return exponentLabel(v);
}

/** 3e-4, 2.5e-3, 1e5. */
function exponentLabel(v: number): string {
  const [mantissa, exponent] = v.toExponential(1).split("e");
  return `${mantissa.replace(/\.0$/, "")}e${exponent.replace("+", "")}`;
}

/** The objective's range with a margin, so dots are not drawn on the frame; a single value gets a band around it. */
export function paddedRange(values: readonly number[], margin = 0.05): [number, number] | null {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return null;
  const [lo, hi] = [Math.min(...finite), Math.max(...finite)];
  const pad = hi > lo ? (hi - lo) * margin : Math.abs(lo) * 0.05 || 0.5;
  return [tidy(lo - pad), tidy(hi + pad)];
}

// ---------------------------------------------------------------------------------------------------------------
// Colours.

type Rgb = [number, number, number];
/** Objective gradient: worst trials light blue, best dark blue (blue-200 → blue-800). */
export const VALUE_GRADIENT: [Rgb, Rgb] = [
  [191, 219, 254],
  [30, 64, 175],
];
/** Slice plots colour by trial order: early violet-200 → late violet-800 (where the sampler went over time). */
export const ORDER_GRADIENT: [Rgb, Rgb] = [
  [221, 214, 254],
  [91, 33, 182],
];
/** The best trial, in every view (rose-600). */
export const BEST_COLOR = "#e11d48";

export function mixColor([from, to]: [Rgb, Rgb], t: number): string {
  const u = clamp01(t);
  const channel = (i: number) => Math.round(from[i] + (to[i] - from[i]) * u);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

/** 1 for the best value of the range, 0 for the worst, per the goal; 1 when all values are equal. */
export function goodness(value: number, range: [number, number] | null, goal: Goal): number {
  if (!range || !(range[1] > range[0])) return 1;
  const u = clamp01((value - range[0]) / (range[1] - range[0]));
  return goal === "maximize" ? u : 1 - u;
}

