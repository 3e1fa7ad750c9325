// A Parzen estimator over a group of parameters: a weighted mixture with one component per observation plus a
// broad prior component. Numeric kernels are normals truncated to the domain (integrated over a value's bin for
// ints/quantized values); categorical kernels are smoothed one-hots. Univariate groups use Optuna's neighbour-gap
// bandwidths; multivariate groups use a Scott-style shared bandwidth, so that the joint kernel stays correlated.
//
// Continuous kernels are scored as Optuna 3.1–3.4 scores them (its `_truncnorm.logpdf` left out the −log σ term,
// fixed in Optuna 3.5 by PR #5110): each kernel contributes φ(z)/Z, its density times σ, so a kernel counts by its
// weight and by how many of its own widths away x lies, not by its height. Wide kernels (isolated observations,
// the prior) weigh more than in a normalised mixture, in l(x) and g(x) alike. That is the behaviour the Optuna
// reference numbers were measured with, and on the benchmark objectives it beats the normalised mixture;
// `normalizedKernels: true` gives true densities. Grid kernels always score their bin's probability mass.
import { binOf, type Domain, type NumericDomain, toInternal, fromInternal } from "../shared-math-domain";
import { gaussian, LOG_SQRT_2PI, logNormalMass, logSumExp } from "../shared-math";

export interface ParzenOptions {
  multivariate: boolean;
  priorWeight: number;
  /** Dimensionality used by the multivariate bandwidth rule (the whole space, as in Optuna). */
  spaceDims: number;
  /** Score continuous kernels as true densities (with −log σ). Default false: Optuna 3.1's σ-free score. */
  normalizedKernels?: boolean;
}

/** Samples as columns: numeric columns hold values, categorical columns hold indices. */
export type Columns = Float64Array[];

interface NumericKernel {
  kind: "numeric";
  domain: NumericDomain;
  mu: Float64Array;
  sigma: Float64Array;
  invSigma: Float64Array;
  logZ: Float64Array;
  /** −log σ − log √(2π) − log Z: the continuous kernel's log density at its centre. */
  logPeak: Float64Array;
  /** What a continuous value scores at the kernel's centre: logPeak, plus log σ unless kernels are normalised. */
  logPeakScore: Float64Array;
}

interface CategoricalKernel {
  kind: "categorical";
  /** Row-major log probabilities, components × choices. */
  logP: Float64Array;
  /** Row-major cumulative probabilities for sampling. */
  cumP: Float64Array;
  choices: number;
}

type Kernel = NumericKernel | CategoricalKernel;

export class ParzenEstimator {
  private readonly kernels: Kernel[];
  private readonly logWeights: Float64Array;
  private readonly cumWeights: Float64Array;
  private readonly components: number;

  /** `observed[d][i]` is observation i of dimension d (value or category index); weights are per observation. */
  constructor(domains: readonly Domain[], observed: Columns, weights: readonly number[], options: ParzenOptions) {
    const n = weights.length;
    this.components = n + 1;
    const w = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) w[i] = weights[i];
    w[n] = options.priorWeight;
    const total = w.reduce((a, b) => a + b, 0);
    this.logWeights = w.map((x) => Math.log(x / total));
    this.cumWeights = new Float64Array(n + 1);
    let acc = 0;
    for (let i = 0; i <= n; i++) this.cumWeights[i] = acc += w[i] / total;
    this.kernels = domains.map((domain, d) =>
      domain.kind === "numeric"
        ? numericKernel(domain, observed[d], options, domains.length)
        : categoricalKernel(domain.values.length, observed[d], options.priorWeight, n),
    );
  }

  sample(rand: () => number, count: number): Columns {
    const columns = this.kernels.map(() => new Float64Array(count));
    for (let s = 0; s < count; s++) {
      const c = pickIndex(this.cumWeights, rand());
      this.kernels.forEach((kernel, d) => {
        columns[d][s] = kernel.kind === "numeric" ? sampleNumeric(kernel, c, rand) : sampleCategorical(kernel, c, rand);
      });
    }
    return columns;
  }

  logPdf(samples: Columns): Float64Array {
    const count = samples[0]?.length ?? 0;
    const out = new Float64Array(count);
    const perComponent = new Float64Array(this.components);
    for (let s = 0; s < count; s++) {
      perComponent.set(this.logWeights);
      this.kernels.forEach((kernel, d) => addKernelLogPdf(kernel, samples[d][s], perComponent));
      out[s] = logSumExp(perComponent);
    }
    return out;
  }
}

function numericKernel(domain: NumericDomain, values: Float64Array, options: ParzenOptions, groupDims: number): NumericKernel {
  const n = values.length;
  const range = domain.hi - domain.lo;
  const mu = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) mu[i] = toInternal(domain, values[i]);
  mu[n] = (domain.lo + domain.hi) / 2;
  const sigma = options.multivariate || groupDims > 1 ? scottSigmas(n, range, options.spaceDims) : neighbourSigmas(mu, domain);
  // Optuna's "magic clip": no kernel narrower than range / min(100, 1 + components).
  const minSigma = range / Math.min(100, n + 2);
  for (let i = 0; i < n; i++) sigma[i] = Math.min(range, Math.max(minSigma, sigma[i]));
  sigma[n] = range;
  const logZ = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const a = (domain.lo - mu[i]) / sigma[i];
    const b = (domain.hi - mu[i]) / sigma[i];
    // Beyond 8σ on both sides the truncation removes < 1e-15 of the mass: skip the costly tail computation.
    logZ[i] = a < -8 && b > 8 ? 0 : logNormalMass(a, b);
  }
  const invSigma = sigma.map((v) => 1 / v);
  const logPeak = sigma.map((v, i) => -Math.log(v) - LOG_SQRT_2PI - logZ[i]);
  const logPeakScore = options.normalizedKernels ? logPeak : logPeak.map((v, i) => v + Math.log(sigma[i]));
  return { kind: "numeric", domain, mu, sigma, invSigma, logZ, logPeak, logPeakScore };
}

function scottSigmas(n: number, range: number, dims: number): Float64Array {
  return new Float64Array(n + 1).fill(0.2 * Math.max(n, 1) ** (-1 / (dims + 4)) * range);
}

/** Each kernel as wide as the larger gap to its sorted neighbours (prior included, domain ends excluded). */
function neighbourSigmas(mu: Float64Array, domain: NumericDomain): Float64Array {
  const order = Array.from(mu.keys()).sort((a, b) => mu[a] - mu[b]);
  const sigma = new Float64Array(mu.length);
  for (let k = 0; k < order.length; k++) {
    const left = k > 0 ? mu[order[k]] - mu[order[k - 1]] : 0;
    const right = k < order.length - 1 ? mu[order[k + 1]] - mu[order[k]] : 0;
    sigma[order[k]] = order.length === 1 ? domain.hi - domain.lo : Math.max(left, right);
  }
  return sigma;
}

/** Optuna's categorical kernels: every row (the prior's included) gets priorWeight / (n + 1) on each choice, and an
 *  observation's row adds 1 on its own choice; rows are normalised. Smoothing fades as observations accumulate. */
function categoricalKernel(choices: number, values: Float64Array, priorWeight: number, n: number): CategoricalKernel {
  const logP = new Float64Array((n + 1) * choices);
  const cumP = new Float64Array((n + 1) * choices);
  const smoothing = priorWeight / (n + 1);
  for (let c = 0; c <= n; c++) {
    const row = new Float64Array(choices).fill(smoothing);
    if (c < n) row[values[c]] += 1;
    const total = row.reduce((a, b) => a + b, 0);
    let acc = 0;
    for (let k = 0; k < choices; k++) {
      logP[c * choices + k] = Math.log(row[k] / total);
      cumP[c * choices + k] = acc += row[k] / total;
    }
  }
  return { kind: "categorical", logP, cumP, choices };
}

function sampleNumeric(kernel: NumericKernel, c: number, rand: () => number): number {
  const { domain, mu, sigma } = kernel;
  let u = mu[c];
  // Rejection sampling: every component keeps at least half of its mass inside the domain, so this ends quickly.
  for (let attempt = 0; attempt < 100; attempt++) {
    u = mu[c] + sigma[c] * gaussian(rand);
    if (u >= domain.lo && u <= domain.hi) break;
  }
  return fromInternal(domain, Math.min(domain.hi, Math.max(domain.lo, u)));
}

function sampleCategorical(kernel: CategoricalKernel, c: number, rand: () => number): number {
  const u = rand();
  const base = c * kernel.choices;
  for (let k = 0; k < kernel.choices - 1; k++) if (u < kernel.cumP[base + k]) return k;
  return kernel.choices - 1;
}

function addKernelLogPdf(kernel: Kernel, x: number, acc: Float64Array): void {
  if (kernel.kind === "categorical") {
    for (let c = 0; c < acc.length; c++) acc[c] += kernel.logP[c * kernel.choices + x];
    return;
  }
  const { domain, mu, invSigma, logZ, logPeak, logPeakScore } = kernel;
  if (domain.step === undefined) {
    const u = toInternal(domain, x);
    for (let c = 0; c < acc.length; c++) {
      const z = (u - mu[c]) * invSigma[c];
      acc[c] += logPeakScore[c] - 0.5 * z * z;
    }
    return;
  }
  const [a, b] = binOf(domain, x);
  const mid = (a + b) / 2;
  const logWidth = Math.log(b - a);
  for (let c = 0; c < acc.length; c++) {
    // A bin much narrower than the kernel holds density × width (relative error < 0.2%); wider bins are integrated.
    if ((b - a) * invSigma[c] < 0.2) {
      const z = (mid - mu[c]) * invSigma[c];
      acc[c] += logPeak[c] - 0.5 * z * z + logWidth;
    } else {
      const za = (a - mu[c]) * invSigma[c];
      const zb = (b - mu[c]) * invSigma[c];
      // Far tails: Mills-ratio asymptote log φ(z) − log z (error < 1.6% in mass), much cheaper than erfc.
      if (za > 8) acc[c] += -0.5 * za * za - Math.log(za) - LOG_SQRT_2PI - logZ[c];
      else if (zb < -8) acc[c] += -0.5 * zb * zb - Math.log(-zb) - LOG_SQRT_2PI - logZ[c];
      else acc[c] += logNormalMass(za, zb) - logZ[c];
    }
  }
}

function pickIndex(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cumulative[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
