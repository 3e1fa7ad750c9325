// Objective values as the GP sees them: oriented so that lower is better, standardised, and with a heavy bad
// tail compressed by a Yeo–Johnson power transform (λ ≤ 1 by maximum likelihood, as HEBO does), so that a few huge
// values (Rosenbrock-like objectives) do not flatten the model where the good values are.

export function transformObjective(values: readonly number[]): Float64Array {
  const standard = standardize(Float64Array.from(values));
  // Yeo–Johnson powers are written as exp(λ·log(1 + |v|)): the logarithms are taken once, not once per λ tried,
  // and so is the Jacobian term of the likelihood, which does not depend on λ.
  const logs = standard.map((v) => Math.log1p(Math.abs(v)));
  let jacobian = 0;
  standard.forEach((v, i) => (jacobian += Math.sign(v) * logs[i]));
  let bestLambda = 1;
  let bestLogLik = -Infinity;
  for (let lambda = -2; lambda <= 1 + 1e-9; lambda += 0.1) {
    const logLik = yeoJohnsonLogLikelihood(standard, logs, lambda, jacobian);
    if (logLik > bestLogLik + 1e-9) {
      bestLogLik = logLik;
      bestLambda = lambda;
    }
  }
  return standardize(standard.map((v, i) => yeoJohnsonOfLog(v, logs[i], bestLambda)));
}

function standardize(values: Float64Array): Float64Array {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const sd = variance > 1e-300 ? Math.sqrt(variance) : 1;
  return values.map((v) => (v - mean) / sd);
}

/** The Yeo–Johnson transform of y with parameter λ, given log1p(|y|). */
function yeoJohnsonOfLog(y: number, log1pAbs: number, lambda: number): number {
  if (y >= 0) return Math.abs(lambda) < 1e-9 ? log1pAbs : Math.expm1(lambda * log1pAbs) / lambda;
  return Math.abs(lambda - 2) < 1e-9 ? -log1pAbs : -Math.expm1((2 - lambda) * log1pAbs) / (2 - lambda);
}

function yeoJohnsonLogLikelihood(values: Float64Array, logs: Float64Array, lambda: number, jacobian: number): number {
  const n = values.length;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const t = yeoJohnsonOfLog(values[i], logs[i], lambda);
    sum += t;
    sumSq += t * t;
  }
  const mean = sum / n;
  const variance = Math.max(sumSq / n - mean * mean, 0);
  return -0.5 * n * Math.log(Math.max(variance, 1e-300)) + (lambda - 1) * jacobian;
}
