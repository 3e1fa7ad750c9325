// Small numerical helpers shared by the model-based samplers (TPE, GP). Pure functions, no allocation in hot paths.

export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT2 = Math.SQRT1_2;

/** Scaled complementary error function erfcx(x) = exp(x²)·erfc(x); relative error < 1.2e-7 (Numerical Recipes
 *  Chebyshev fit). Scaled so that tails stay finite where erfc itself underflows. */
export function erfcx(x: number): number {
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x);
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(poly);
}

export function erfc(x: number): number {
  return x >= 0 ? erfcx(x) * Math.exp(-x * x) : 2 - erfcx(-x) * Math.exp(-x * x);
}

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * INV_SQRT2);
}

/** log(Φ(b) − Φ(a)) for a < b, accurate in both tails (used for truncated and binned normal kernels). */
export function logNormalMass(a: number, b: number): number {
  if (a >= 0) {
    // Upper tail: Φ(b) − Φ(a) = (erfc(a/√2) − erfc(b/√2)) / 2, written with erfcx to avoid underflow.
    const ea = erfcx(a * INV_SQRT2);
    const eb = erfcx(b * INV_SQRT2) * Math.exp(-(b * b - a * a) / 2);
    return Math.log(Math.max(0.5 * (ea - eb), 1e-300)) - (a * a) / 2;
  }
  if (b <= 0) return logNormalMass(-b, -a);
  return Math.log(Math.max(normalCdf(b) - normalCdf(a), 1e-300));
}

/** log(φ(z) + z·Φ(z)): the log of expected improvement per unit σ, stable for very negative z. */
export function logH(z: number): number {
  if (z > -1) return Math.log(normalPdf(z) + z * normalCdf(z));
  const logPhi = -0.5 * z * z - LOG_SQRT_2PI;
  if (z < -1e4) return logPhi - 2 * Math.log(-z);
  // φ(z)(1 + z·Φ(z)/φ(z)) with the Mills ratio Φ(z)/φ(z) = √(π/2)·erfcx(−z/√2).
  const mills = Math.sqrt(Math.PI / 2) * erfcx(-z * INV_SQRT2);
  const inner = 1 + z * mills;
  return logPhi + Math.log(inner > 1 / (z * z * 4) ? inner : 1 / (z * z));
}

/** d/dz log h(z) = Φ(z)/h(z) with h(z) = φ(z) + z·Φ(z), stable for very negative z (where it tends to −z). */
export function logHDerivative(z: number): number {
  if (z > -1) {
    const cdf = normalCdf(z);
    return cdf / (normalPdf(z) + z * cdf);
  }
  const mills = Math.sqrt(Math.PI / 2) * erfcx(-z * INV_SQRT2);
  const inner = 1 + z * mills;
  return inner > 1 / (z * z * 4) ? mills / inner : mills * z * z;
}

export function logSumExp(values: ArrayLike<number>, length = values.length): number {
  let max = -Infinity;
  for (let i = 0; i < length; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

/** Standard normal deviate by Box–Muller from a uniform generator. */
export function gaussian(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
