// GP posterior for fixed hyperparameters: one Cholesky of the training covariance, then mean and variance at any
// number of query points (O(n·D) for the kernel vector plus one O(n²) triangular solve per query).
import { choleskySolve, robustCholesky, solveLower } from "./linalg";
import { matern52, scaledSqDist } from "./kernel";
import type { Hyperparameters } from "./fit";

export class GpPosterior {
  private readonly l: Float64Array;
  private readonly alpha: Float64Array;
  private readonly kVec: Float64Array;
  private readonly v: Float64Array;

  constructor(
    private readonly points: readonly Float64Array[],
    y: Float64Array,
    private readonly hyper: Hyperparameters,
    private readonly categorical: readonly boolean[],
  ) {
    const n = points.length;
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) k[i * n + j] = k[j * n + i] = this.covariance(points[i], points[j]);
      k[i * n + i] = hyper.signal + hyper.noise;
    }
    this.l = robustCholesky(k, n);
    this.alpha = choleskySolve(this.l, n, y);
    this.kVec = new Float64Array(n);
    this.v = new Float64Array(n);
  }

  get size(): number {
    return this.points.length;
  }

  private covariance(a: ArrayLike<number>, b: ArrayLike<number>): number {
    return this.hyper.signal * matern52(scaledSqDist(a, b, this.hyper.invLs2, this.categorical));
  }

  /** Posterior mean and variance of the latent function at x (variance floored to stay positive). */
  predict(x: ArrayLike<number>): { mean: number; variance: number } {
    const n = this.points.length;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      this.kVec[i] = this.covariance(x, this.points[i]);
      mean += this.kVec[i] * this.alpha[i];
    }
    solveLower(this.l, n, this.kVec, this.v);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += this.v[i] * this.v[i];
    return { mean, variance: Math.max(this.hyper.signal - explained, 1e-12 * this.hyper.signal) };
  }
}
