// Learning-curve forecasting for pruning: fits the saturating curve y(s) = a - b·exp(-c·s) (b >= 0, improving
// towards a) to a trial's reports by least squares and reads it at a later step. Curves of different
// configurations cross (big models learn slowly but end higher), so comparing forecasts at the final step ranks
// trials better than comparing their values today. For fixed c the model is linear in (a, b), so the fit is a
// scan over a grid of rates with a closed-form solve at each: no iterations, deterministic.
import type { Direction, FrozenTrial } from "../types";

// Rates from "barely moves over 100 steps" to "done after one step", log-spaced.
const RATES = Array.from({ length: 48 }, (_, i) => 0.01 * 300 ** (i / 47));

/** The forecast value at `horizon` from reports up to `step`; NaN without at least three finite reports.
 *  Never forecasts worse than the fitted curve at `step`: a fit that says "getting worse" forecasts no change. */
export function forecastAt(trial: FrozenTrial, step: number, horizon: number, direction: Direction): number {
  const xs: number[] = [];
  const ys: number[] = [];
  // Fit on the "higher is better" scale so that b >= 0 always means improving.
  const sign = direction === "maximize" ? 1 : -1;
  for (const key in trial.intermediate) {
    const s = Number(key);
    const v = trial.intermediate[s];
    if (s <= step && Number.isFinite(v)) {
      xs.push(s);
      ys.push(sign * v);
    }
  }
  const n = xs.length;
  if (n < 3) return NaN;
  let best = { sse: Infinity, a: 0, b: 0, c: 0 };
  for (const c of RATES) {
    // Least squares of y = a - b·u with u = exp(-c·s).
    let su = 0, sy = 0, suu = 0, suy = 0;
    for (let i = 0; i < n; i++) {
      const u = Math.exp(-c * xs[i]);
      su += u;
      sy += ys[i];
      suu += u * u;
      suy += u * ys[i];
    }
    const det = n * suu - su * su;
    if (det <= 1e-12 * n * n) continue;
    let b = -(n * suy - su * sy) / det;
    let a = (sy + b * su) / n;
    if (b < 0) {
      b = 0;
      a = sy / n;
    }
    let sse = 0;
    for (let i = 0; i < n; i++) sse += (ys[i] - a + b * Math.exp(-c * xs[i])) ** 2;
    if (sse < best.sse) best = { sse, a, b, c };
  }
  if (best.sse === Infinity) return NaN;
  const fitted = (s: number) => best.a - best.b * Math.exp(-best.c * s);
  return sign * Math.max(fitted(horizon), fitted(step));
}
