// A Cholesky factor that grows one row at a time, stored as a packed lower triangle (row i holds L[i][0..i] at
// offset i(i+1)/2). The full factorisation *is* n appends, so extending a cached factor by new points gives
// bit-for-bit the factor a fresh process computes from scratch: the GP stays deterministic whatever a process
// computed before, and a new observation costs O(n²) instead of O(n³).

import { dotRange } from "./linalg";

/** Offset of row i in packed lower-triangular storage. */
export const rowStart = (i: number): number => (i * (i + 1)) / 2;

export class PackedCholesky {
  private data: Float64Array;
  private rows = 0;
  /** A prefix view shares another factor's storage and must not grow (it would overwrite that factor's rows). */
  private readOnly = false;

  /** `jitter` is added to every diagonal entry appended (see factorRobustly). */
  constructor(
    readonly jitter: number,
    capacity = 32,
  ) {
    this.data = new Float64Array(rowStart(capacity));
  }

  get size(): number {
    return this.rows;
  }

  /** The packed triangle (only the first rowStart(size) entries are meaningful). */
  get packed(): Float64Array {
    return this.data;
  }

  /** Appends the row of a new point: `row[j]` = K(new, point j) for j < size, `row[size]` = K(new, new) (noise
   *  included, jitter not). Returns false, leaving the factor unchanged, when the pivot is not positive. */
  append(row: ArrayLike<number>): boolean {
    if (this.readOnly) throw new Error("a prefix view of a Cholesky factor cannot grow");
    const n = this.rows;
    if (rowStart(n + 2) > this.data.length) {
      const grown = new Float64Array(rowStart(Math.max(2 * n, n + 2)));
      grown.set(this.data.subarray(0, rowStart(n)));
      this.data = grown;
    }
    const d = this.data;
    const base = rowStart(n);
    for (let j = 0; j < n; j++) {
      const rj = rowStart(j);
      d[base + j] = (row[j] - dotRange(d, base, d, rj, j)) / d[rj + j];
    }
    const pivot = row[n] + this.jitter - dotRange(d, base, d, base, n);
    if (!(pivot > 0)) return false;
    d[base + n] = Math.sqrt(pivot);
    this.rows = n + 1;
    return true;
  }

  /** The factor of the leading rows×rows block, sharing this factor's storage (appends here leave it intact:
   *  they only write further rows, or move to new storage). */
  prefix(rows: number): PackedCholesky {
    const view = new PackedCholesky(this.jitter, 0);
    view.data = this.data;
    view.rows = Math.min(rows, this.rows);
    view.readOnly = true;
    return view;
  }

  /** A copy holding the first `rows` rows: the factor of the leading principal block. */
  truncatedCopy(rows: number): PackedCholesky {
    const copy = new PackedCholesky(this.jitter, Math.max(rows + 8, 32));
    copy.data.set(this.data.subarray(0, rowStart(rows)));
    copy.rows = rows;
    return copy;
  }

  /** Solves L x = b into `out` (may alias b). */
  solveLower(b: ArrayLike<number>, out: Float64Array): Float64Array {
    const d = this.data;
    for (let i = 0; i < this.rows; i++) {
      const ri = rowStart(i);
      let s = b[i];
      for (let k = 0; k < i; k++) s -= d[ri + k] * out[k];
      out[i] = s / d[ri + i];
    }
    return out;
  }

  /** Solves Lᵀ x = b into `out` (may alias b), walking rows of L so memory access stays contiguous. */
  solveUpper(b: ArrayLike<number>, out: Float64Array): Float64Array {
    const d = this.data;
    if (out !== b) for (let i = 0; i < this.rows; i++) out[i] = b[i];
    for (let i = this.rows - 1; i >= 0; i--) {
      const ri = rowStart(i);
      const xi = out[i] / d[ri + i];
      out[i] = xi;
      for (let k = 0; k < i; k++) out[k] -= d[ri + k] * xi;
    }
    return out;
  }
}

/** Factor of K + jitter·I for the smallest jitter in 0, 1e-9·scale, 1e-8·scale, … that is positive definite, one
 *  row at a time from `rowOf(i)` (see PackedCholesky.append). */
export function factorRobustly(n: number, rowOf: (i: number) => ArrayLike<number>, scale: number): PackedCholesky {
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const factor = new PackedCholesky(jitter, n);
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = factor.append(rowOf(i));
    if (ok) return factor;
    jitter = jitter === 0 ? 1e-9 * scale : jitter * 10;
  }
  throw new Error("covariance matrix is not positive definite even with jitter");
}
