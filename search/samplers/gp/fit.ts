// GP hyperparameters by maximum a posteriori marginal likelihood: θ = (log ℓ_1..D, log signal variance, log noise
// variance), analytic gradients, L-BFGS from a default start. Priors (as in Optuna's GPSampler) keep small-n fits
// sane: lengthscales around 1 on the unit cube, signal Gamma(2, 1). Noise gets a loose Gamma(1.1, 12): structure the
// kernel cannot resolve (fast oscillations, real noise) is explained as noise, which keeps lengthscales long enough
// for the model to see the global trend.
import { choleskyInverse, choleskySolve, robustCholesky } from "./linalg";
import { dimSqDiff, expNonPositive } from "./kernel";
import { lbfgsSteps } from "./lbfgs";

export interface Hyperparameters {
  /** 1/ℓ_d² per dimension. */
  invLs2: Float64Array;
  signal: number;
  noise: number;
}

export const MIN_NOISE = 1e-6;
const SQRT5 = Math.sqrt(5);
const LOG_LS = [Math.log(0.01), Math.log(100)];
const LOG_SIGNAL = [Math.log(0.05), Math.log(20)];
const LOG_NOISE = [Math.log(MIN_NOISE), Math.log(1)];

/** Pairwise per-dimension squared differences, [i][j][d] flattened, computed once per data set. */
export function pairwiseSqDiffs(points: readonly Float64Array[], categorical: readonly boolean[]): Float64Array {
  const n = points.length;
  const dims = categorical.length;
  const out = new Float64Array(n * n * dims);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++)
      for (let d = 0; d < dims; d++) {
        const v = dimSqDiff(points[i][d], points[j][d], categorical[d]);
        out[(i * n + j) * dims + d] = v;
        out[(j * n + i) * dims + d] = v;
      }
  return out;
}

export function toHyperparameters(theta: Float64Array): Hyperparameters {
  const dims = theta.length - 2;
  return {
    invLs2: Float64Array.from(theta.subarray(0, dims), (t) => Math.exp(-2 * t)),
    signal: Math.exp(theta[dims]),
    noise: Math.exp(theta[dims + 1]),
  };
}

/** Negative log posterior of θ and its gradient (one-off; fits reuse a MarginalPosterior's buffers). */
export function negLogPosterior(theta: Float64Array, sq: Float64Array, y: Float64Array, dims: number): { value: number; grad: Float64Array } {
  return new MarginalPosterior(sq, y, dims).evaluate(theta);
}

/** The fit's objective for one data set, with its n×n work matrices allocated once for every evaluation. */
class MarginalPosterior {
  private readonly n: number;
  private readonly k: Float64Array;
  private readonly gradFactors: Float64Array;
  private readonly l: Float64Array;
  private readonly kInv: Float64Array;
  private readonly work: Float64Array;

  constructor(
    private readonly sq: Float64Array,
    private readonly y: Float64Array,
    private readonly dims: number,
  ) {
    const n = y.length;
    this.n = n;
    [this.k, this.gradFactors, this.l, this.kInv, this.work] = Array.from({ length: 5 }, () => new Float64Array(n * n));
  }

  evaluate(theta: Float64Array): { value: number; grad: Float64Array } {
    const { n, dims, sq, y, k, gradFactors } = this;
    const { invLs2, signal, noise } = toHyperparameters(theta);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        let r2 = 0;
        const base = (i * n + j) * dims;
        for (let d = 0; d < dims; d++) r2 += sq[base + d] * invLs2[d];
        // Kernel value and lengthscale-gradient factor share one square root and one exponential.
        const r = Math.sqrt(r2);
        const e = expNonPositive(-SQRT5 * r);
        gradFactors[i * n + j] = (5 / 3) * (1 + SQRT5 * r) * e;
        k[i * n + j] = k[j * n + i] = signal * (1 + SQRT5 * r + (5 / 3) * r2) * e;
      }
      k[i * n + i] = signal + noise;
    }
    const grad = new Float64Array(dims + 2);
    let l: Float64Array;
    try {
      l = robustCholesky(k, n, this.l);
    } catch {
      return { value: Infinity, grad };
    }
    const alpha = choleskySolve(l, n, y);
    let value = 0.5 * n * Math.log(2 * Math.PI);
    for (let i = 0; i < n; i++) value += 0.5 * y[i] * alpha[i] + Math.log(l[i * n + i]);
    // dNLL/dθ = ½ tr((K⁻¹ − ααᵀ) dK/dθ); only the lower triangle is visited, off-diagonal terms count twice.
    const kInv = choleskyInverse(l, n, this.kInv, this.work);
    let gSignal = 0;
    let gNoise = 0;
    for (let i = 0; i < n; i++) {
      const wii = kInv[i * n + i] - alpha[i] * alpha[i];
      gSignal += 0.5 * wii * signal;
      gNoise += 0.5 * wii * noise;
      for (let j = 0; j < i; j++) {
        const w = kInv[i * n + j] - alpha[i] * alpha[j];
        gSignal += w * k[i * n + j];
        const factor = w * signal * gradFactors[i * n + j];
        const base = (i * n + j) * dims;
        for (let d = 0; d < dims; d++) grad[d] += factor * sq[base + d];
      }
    }
    for (let d = 0; d < dims; d++) grad[d] *= invLs2[d];
    grad[dims] = gSignal;
    grad[dims + 1] = gNoise;
    // Log priors (subtracted): lengthscale −(0.1/ils + 0.1·ils) with ils = 1/ℓ²; Gamma priors on signal and noise.
    for (let d = 0; d < dims; d++) {
      value += 0.1 * (1 / invLs2[d] + invLs2[d]);
      grad[d] += 0.2 / invLs2[d] - 0.2 * invLs2[d];
    }
    value -= theta[dims] - signal;
    grad[dims] -= 1 - signal;
    value -= 0.1 * theta[dims + 1] - 12 * noise;
    grad[dims + 1] -= 0.1 - 12 * noise;
    return { value, grad };
  }
}

export function defaultTheta(dims: number): Float64Array {
  const theta = new Float64Array(dims + 2).fill(Math.log(0.5));
  theta[dims] = 0;
  theta[dims + 1] = Math.log(1e-3);
  return theta;
}

/** MAP hyperparameters from the default start, as a generator that yields after every evaluation of the objective
 *  so that a caller can spread one fit over several proposals. (Seeded restarts were tried: on these posteriors
 *  they almost always reach the default start's optimum, at twice the cost.) */
export function* fitHyperparameterSteps(sq: Float64Array, y: Float64Array, dims: number, maxIterations: number): Generator<void, Float64Array, void> {
  const lower = new Float64Array(dims + 2).fill(LOG_LS[0]);
  const upper = new Float64Array(dims + 2).fill(LOG_LS[1]);
  [lower[dims], upper[dims]] = LOG_SIGNAL;
  [lower[dims + 1], upper[dims + 1]] = LOG_NOISE;
  const objective = new MarginalPosterior(sq, y, dims);
  const run = lbfgsSteps(defaultTheta(dims), { lower, upper, maxIterations });
  let request = run.next();
  while (!request.done) {
    const evaluation = objective.evaluate(request.value);
    yield;
    request = run.next(evaluation);
  }
  return request.value.x;
}
