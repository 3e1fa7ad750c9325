// GP posterior for fixed hyperparameters: mean and variance at many query points, and log EI with its gradient
// for the acquisition optimiser. Training points are stored column by column so the distance loops run over
// contiguous memory; queries are processed four at a time through the triangular solve (one pass over L, four
// independent sums), which is where an O(n²) prediction spends its time.
import { logH, logHDerivative } from "../shared-math";
import { covarianceFactor } from "./factor-cache";
import { dimSqDiff, expNonPositive } from "./kernel";
import type { Evaluation } from "./lbfgs";
import type { Hyperparameters } from "./fit";
import { PackedCholesky, rowStart } from "./packed-cholesky";

const SQRT5 = Math.sqrt(5);
const BLOCK = 4;

export class GpPosterior {
  readonly size: number;
  private readonly dims: number;
  /** Training coordinates, dimension-major: cols[d·n + i]. */
  private readonly cols: Float64Array;
  /** Dimensions where the cheap numeric distance applies to every training point (numeric, never inactive). */
  private readonly plain: boolean[];
  private readonly factor: PackedCholesky;
  private readonly alpha: Float64Array;
  /** Work blocks, four query points ("lanes") of n entries each: kernel vectors k, L⁻¹k, K⁻¹k, gradient factors. */
  private readonly kernelBlock: Float64Array;
  private readonly solveBlock: Float64Array;
  private readonly backBlock: Float64Array;
  private readonly gradBlock: Float64Array;

  constructor(
    points: readonly Float64Array[],
    y: Float64Array,
    private readonly hyper: Hyperparameters,
    private readonly categorical: readonly boolean[],
  ) {
    const n = points.length;
    this.size = n;
    this.dims = categorical.length;
    this.cols = new Float64Array(this.dims * n);
    this.plain = categorical.map((isCategorical, d) => {
      for (let i = 0; i < n; i++) this.cols[d * n + i] = points[i][d];
      return !isCategorical && points.every((p) => !Number.isNaN(p[d]));
    });
    this.factor = covarianceFactor(points, hyper, categorical);
    this.alpha = this.factor.solveUpper(this.factor.solveLower(y, new Float64Array(n)), new Float64Array(n));
    [this.kernelBlock, this.solveBlock, this.backBlock, this.gradBlock] = [0, 1, 2, 3].map(() => new Float64Array(BLOCK * n));
  }

  /** Posterior means at the training points: K·α = y − (noise + jitter)·α, O(n) instead of O(n²). */
  trainingMeans(y: Float64Array): Float64Array {
    const diagonalExtra = this.hyper.noise + this.factor.jitter;
    return y.map((v, i) => v - diagonalExtra * this.alpha[i]);
  }

  predict(x: ArrayLike<number>): { mean: number; variance: number } {
    const mean = new Float64Array(1);
    const variance = new Float64Array(1);
    this.predictBatch(Float64Array.from(x), 1, mean, variance);
    return { mean: mean[0], variance: variance[0] };
  }

  /** Means and variances of `count` points stored row by row in `xs`. */
  predictBatch(xs: Float64Array, count: number, means: Float64Array, variances: Float64Array): void {
    const n = this.size;
    const k = this.kernelBlock;
    const v = this.solveBlock;
    for (let start = 0; start < count; start += BLOCK) {
      // A short last block repeats its final point; the extra results are discarded.
      for (let c = 0; c < BLOCK; c++) this.kernelRow(xs, Math.min(start + c, count - 1) * this.dims, c * n, false);
      this.forwardBlock();
      for (let c = 0; c < BLOCK && start + c < count; c++) {
        let mean = 0;
        let explained = 0;
        for (let i = 0; i < n; i++) {
          mean += k[c * n + i] * this.alpha[i];
          explained += v[c * n + i] * v[c * n + i];
        }
        means[start + c] = mean;
        variances[start + c] = this.floorVariance(explained);
      }
    }
  }

  /** log EI against `best` at each x (inactive coordinates NaN) and its gradient along that point's `free`
   *  coordinates, which must be numeric and active. Only steers the optimiser: rankings use predictBatch. */
  logEiWithGradients(xs: readonly Float64Array[], free: readonly (readonly number[])[], best: number): Evaluation[] {
    const n = this.size;
    const { invLs2 } = this.hyper;
    const k = this.kernelBlock;
    const g = this.gradBlock;
    const w = this.backBlock;
    const results: Evaluation[] = [];
    for (let start = 0; start < xs.length; start += BLOCK) {
      for (let c = 0; c < BLOCK; c++) this.kernelRow(xs[Math.min(start + c, xs.length - 1)], 0, c * n, true);
      this.forwardBlock();
      this.backwardBlock();
      for (let c = 0; c < BLOCK && start + c < xs.length; c++) {
        const x = xs[start + c];
        const lane = c * n;
        let mean = 0;
        let explained = 0;
        for (let i = 0; i < n; i++) {
          mean += k[lane + i] * this.alpha[i];
          explained += this.solveBlock[lane + i] * this.solveBlock[lane + i];
        }
        const variance = this.floorVariance(explained);
        const floored = variance !== this.hyper.signal - explained;
        const sigma = Math.sqrt(variance);
        const z = (best - mean) / sigma;
        const rho = logHDerivative(z);
        // d logEI = ρ(z)·(−dμ/σ) + (1 − zρ(z))·dσ/σ with dσ = dσ²/(2σ); dk_i/dx_d = −g_i·(x_d − x_id)/ℓ_d².
        const byMean = rho / sigma;
        const byVariance = floored ? 0 : (1 - z * rho) / variance;
        const grad = Float64Array.from(free[start + c], (d) => {
          const col = d * n;
          let sumMean = 0;
          let sumVariance = 0;
          for (let i = 0; i < n; i++) {
            const diff = x[d] - this.cols[col + i];
            if (diff !== diff) continue; // inactive in training point i: that distance does not depend on x[d]
            sumMean += this.alpha[i] * g[lane + i] * diff;
            sumVariance += w[lane + i] * g[lane + i] * diff;
          }
          return invLs2[d] * (byMean * sumMean + byVariance * sumVariance);
        });
        results.push({ value: Math.log(sigma) + logH(z), grad });
      }
    }
    return results;
  }

  private floorVariance(explained: number): number {
    return Math.max(this.hyper.signal - explained, 1e-12 * this.hyper.signal);
  }

  /** Kernel values (and, with `withGradient`, the factors g_i = σ_f²·(5/3)(1 + √5 r)e^{−√5 r}) between the
   *  point at xs[offset..] and every training point, into lane `lane` of the work blocks. */
  private kernelRow(xs: Float64Array, offset: number, lane: number, withGradient: boolean): void {
    const k = this.kernelBlock;
    const { signal } = this.hyper;
    this.sqDistances(xs, offset, k, lane);
    for (let i = lane; i < lane + this.size; i++) {
      const r = Math.sqrt(k[i]);
      const e = expNonPositive(-SQRT5 * r);
      if (withGradient) this.gradBlock[i] = signal * (5 / 3) * (1 + SQRT5 * r) * e;
      k[i] = signal * (1 + SQRT5 * r + (5 / 3) * k[i]) * e;
    }
  }

  /** solveBlock = L⁻¹·kernelBlock for all four lanes in one pass over L. */
  private forwardBlock(): void {
    const n = this.size;
    const l = this.factor.packed;
    const k = this.kernelBlock;
    const v = this.solveBlock;
    for (let i = 0; i < n; i++) {
      const ri = rowStart(i);
      let s0 = k[i];
      let s1 = k[n + i];
      let s2 = k[2 * n + i];
      let s3 = k[3 * n + i];
      for (let q = 0; q < i; q++) {
        const lq = l[ri + q];
        s0 -= lq * v[q];
        s1 -= lq * v[n + q];
        s2 -= lq * v[2 * n + q];
        s3 -= lq * v[3 * n + q];
      }
      const pivot = l[ri + i];
      v[i] = s0 / pivot;
      v[n + i] = s1 / pivot;
      v[2 * n + i] = s2 / pivot;
      v[3 * n + i] = s3 / pivot;
    }
  }

  /** backBlock = L⁻ᵀ·solveBlock (so that backBlock = K⁻¹·kernelBlock), walking rows of L. */
  private backwardBlock(): void {
    const n = this.size;
    const l = this.factor.packed;
    const w = this.backBlock;
    w.set(this.solveBlock);
    for (let i = n - 1; i >= 0; i--) {
      const ri = rowStart(i);
      const pivot = l[ri + i];
      const x0 = (w[i] /= pivot);
      const x1 = (w[n + i] /= pivot);
      const x2 = (w[2 * n + i] /= pivot);
      const x3 = (w[3 * n + i] /= pivot);
      for (let q = 0; q < i; q++) {
        const lq = l[ri + q];
        w[q] -= lq * x0;
        w[n + q] -= lq * x1;
        w[2 * n + q] -= lq * x2;
        w[3 * n + q] -= lq * x3;
      }
    }
  }

  /** Scaled squared distances from the point at xs[offset..] to every training point, into out[outOffset..]. */
  private sqDistances(xs: Float64Array, offset: number, out: Float64Array, outOffset: number): void {
    const n = this.size;
    const { invLs2 } = this.hyper;
    out.fill(0, outOffset, outOffset + n);
    for (let d = 0; d < this.dims; d++) {
      const xd = xs[offset + d];
      const weight = invLs2[d];
      const col = d * n;
      if (this.plain[d] && xd === xd) {
        for (let i = 0; i < n; i++) {
          const t = xd - this.cols[col + i];
          out[outOffset + i] += t * t * weight;
        }
      } else {
        const isCategorical = this.categorical[d];
        for (let i = 0; i < n; i++) out[outOffset + i] += dimSqDiff(xd, this.cols[col + i], isCategorical) * weight;
      }
    }
  }
}
