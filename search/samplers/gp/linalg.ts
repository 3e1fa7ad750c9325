// Dense linear algebra on row-major Float64Arrays, just what a Gaussian process needs.

/** In-place lower Cholesky factor of a symmetric positive-definite n×n matrix; false if not positive definite.
 *  The strict upper triangle is zeroed so the result can be used as L directly. */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    const d = a[rj + j] - dotRange(a, rj, a, rj, j);
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) a[i * n + j] = (a[i * n + j] - dotRange(a, i * n, a, rj, j)) / ljj;
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
  return true;
}

/** Σ_{k<length} a[aStart+k]·b[bStart+k] with four partial sums: a single running sum would wait on the latency
 *  of every addition, four let the CPU overlap them (Cholesky spends its time here). */
export function dotRange(a: Float64Array, aStart: number, b: Float64Array, bStart: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < length; k += 4) {
    s0 += a[aStart + k] * b[bStart + k];
    s1 += a[aStart + k + 1] * b[bStart + k + 1];
    s2 += a[aStart + k + 2] * b[bStart + k + 2];
    s3 += a[aStart + k + 3] * b[bStart + k + 3];
  }
  for (; k < length; k++) s0 += a[aStart + k] * b[bStart + k];
  return s0 + s1 + (s2 + s3);
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

/** K⁻¹ from K's Cholesky factor (K⁻¹ = L⁻ᵀ L⁻¹), needed for marginal-likelihood gradients: about n³/3
 *  multiply-adds, all as contiguous dot products (see dotRange). `out` and `work` are n×n. */
export function choleskyInverse(l: Float64Array, n: number, out: Float64Array = new Float64Array(n * n), work: Float64Array = new Float64Array(n * n)): Float64Array {
  // work holds (L⁻¹)ᵀ row by row: M[i][j] = −Σ_{j≤k<i} L[i][k]·M[k][j] / L[i][i], and M[k][j] is work[j][k].
  const mt = work;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const inv = 1 / l[ri + i];
    mt[ri + i] = inv;
    for (let j = 0; j < i; j++) mt[j * n + i] = -dotRange(l, ri + j, mt, j * n + j, i - j) * inv;
  }
  // K⁻¹[i][j] = Σ_{k≥i} M[k][i]·M[k][j] for j ≤ i: rows i and j of Mᵀ from column i on.
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) out[i * n + j] = out[j * n + i] = dotRange(mt, i * n + i, mt, j * n + i, n - i);
  return out;
}

/** Cholesky of K + jitter·I with jitter grown until it succeeds (K is left untouched). */
export function robustCholesky(k: Float64Array, n: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const l = out;
    l.set(k.subarray(0, n * n));
    for (let i = 0; i < n; i++) l[i * n + i] += jitter;
    if (choleskyInPlace(l, n)) return l;
    jitter = jitter === 0 ? 1e-9 : jitter * 10;
  }
  throw new Error("covariance matrix is not positive definite even with jitter");
}
