// Dense linear algebra on row-major Float64Arrays, just what a Gaussian process needs.

/** In-place lower Cholesky factor of a symmetric positive-definite n×n matrix; false if not positive definite.
 *  The strict upper triangle is zeroed so the result can be used as L directly. */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
  return true;
}

/** Solves L x = b (L lower triangular) into `out`; `out` may alias `b`. */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * out[k];
    out[i] = s / l[ri + i];
  }
  return out;
}

/** Solves Lᵀ x = b into `out`; `out` may alias `b`. */
export function solveUpperTransposed(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * out[k];
    out[i] = s / l[i * n + i];
  }
  return out;
}

/** K⁻¹ b from K's Cholesky factor. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(n);
  solveLower(l, n, b, out);
  return solveUpperTransposed(l, n, out, out);
}

/** K⁻¹ from K's Cholesky factor (K⁻¹ = L⁻ᵀ L⁻¹), needed for marginal-likelihood gradients. */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  // Invert L column by column (forward substitution on unit vectors), then form L⁻ᵀ L⁻¹.
  const inv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    inv[j * n + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k] * inv[k * n + j];
      inv[i * n + j] = s / l[i * n + i];
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += inv[k * n + i] * inv[k * n + j];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/** Cholesky of K + jitter·I with jitter grown until it succeeds (K is left untouched). */
export function robustCholesky(k: Float64Array, n: number): Float64Array {
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const l = Float64Array.from(k);
    for (let i = 0; i < n; i++) l[i * n + i] += jitter;
    if (choleskyInPlace(l, n)) return l;
    jitter = jitter === 0 ? 1e-9 : jitter * 10;
  }
  throw new Error("covariance matrix is not positive definite even with jitter");
}
