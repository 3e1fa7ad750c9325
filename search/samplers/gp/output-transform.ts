// Objective values as the GP sees them: oriented so that lower is better, standardised, and with a heavy bad
// tail compressed by a Yeo–Johnson power transform (λ ≤ 1 by maximum likelihood, as HEBO does), so that a few huge
// values (Rosenbrock-like objectives) do not flatten the model where the good values are.

export function transformObjective(values: readonly number[]): Float64Array {
  const standard = standardize(Float64Array.from(values));
  let bestLambda = 1;
  let bestLogLik = -Infinity;
  for (let lambda = -2; lambda <= 1 + 1e-9; lambda += 0.1) {
    const logLik = yeoJohnsonLogLikelihood(standard, lambda);
    if (logLik > bestLogLik + 1e-9) {
      bestLogLik = logLik;
      bestLambda = lambda;
    }
  }
  return standardize(standard.map((v) => yeoJohnson(v, bestLambda)));
}

function standardize(values: Float64Array): Float64Array {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const sd = variance > 1e-300 ? Math.sqrt(variance) : 1;
  return values.map((v) => (v - mean) / sd);
}

export function yeoJohnson(y: number, lambda: number): number {
  if (y >= 0) return Math.abs(lambda) < 1e-9 ? Math.log1p(y) : ((y + 1) ** lambda - 1) / lambda;
  return Math.abs(lambda - 2) < 1e-9 ? -Math.log1p(-y) : -((1 - y) ** (2 - lambda) - 1) / (2 - lambda);
}

function yeoJohnsonLogLikelihood(values: Float64Array, lambda: number): number {
  const n = values.length;
  const transformed = values.map((v) => yeoJohnson(v, lambda));
  const mean = transformed.reduce((a, b) => a + b, 0) / n;
  const variance = transformed.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  let jacobian = 0;
  for (const v of values) jacobian += Math.sign(v) * Math.log1p(Math.abs(v));
  return -0.5 * n * Math.log(Math.max(variance, 1e-300)) + (lambda - 1) * jacobian;
}
