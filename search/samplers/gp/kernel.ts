// Matérn-5/2 ARD kernel on the encoded space. Per-dimension distance: numeric coordinates differ by their
// difference in [0,1]; categorical coordinates by 0/1 (Hamming); a parameter active in one point and inactive
// (NaN) in the other differs by 1, and two inactive ones do not differ.
const SQRT5 = Math.sqrt(5);

/** Per-dimension squared difference, with the categorical and inactive conventions above. */
export function dimSqDiff(a: number, b: number, categorical: boolean): number {
  const aMissing = Number.isNaN(a);
  const bMissing = Number.isNaN(b);
  if (aMissing || bMissing) return aMissing && bMissing ? 0 : 1;
  if (categorical) return a === b ? 0 : 1;
  const d = a - b;
  return d * d;
}

/** Σ_d Δ_d² / ℓ_d² with `invLs2[d] = 1/ℓ_d²`. */
export function scaledSqDist(a: ArrayLike<number>, b: ArrayLike<number>, invLs2: Float64Array, categorical: readonly boolean[]): number {
  let s = 0;
  for (let d = 0; d < invLs2.length; d++) s += dimSqDiff(a[d], b[d], categorical[d]) * invLs2[d];
  return s;
}

/** Matérn-5/2 correlation at squared scaled distance r². */
export function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** −(1/r)·dM/dr = (5/3)(1 + √5 r)e^{−√5 r}: the lengthscale gradient factor, finite at r = 0. */
export function matern52GradFactor(r2: number): number {
  const r = Math.sqrt(r2);
  return (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}
