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
  return (1 + SQRT5 * r + (5 / 3) * r2) * expNonPositive(-SQRT5 * r);
}

// e^x for x ≤ 0 in about a third of Math.exp's time (the kernel's exponential dominates GP predictions):
// x = (k/64)·ln 2 + r with |r| ≤ ln2/128, e^r by its degree-5 Taylor polynomial, 2^(k/64) from two tables.
// Relative error below 1e-14 (for results that are not subnormal).
const STEPS_PER_OCTAVE = 64;
// ln2/64 split (fdlibm's Cody–Waite constants): k·LN2_HI is exact for the k that occur, so r keeps full precision.
const LN2_HI = 6.93147180369123816490e-1 / STEPS_PER_OCTAVE;
const LN2_LO = 1.90821492927058770002e-10 / STEPS_PER_OCTAVE;
const FRACTIONAL_POWERS = Float64Array.from({ length: STEPS_PER_OCTAVE }, (_, j) => 2 ** (j / STEPS_PER_OCTAVE));
const NEGATIVE_POWERS = (() => {
  const powers = new Float64Array(1100);
  powers[0] = 1;
  for (let k = 1; k < powers.length; k++) powers[k] = powers[k - 1] / 2;
  return powers;
})();

export function expNonPositive(x: number): number {
  if (x < -745) return 0;
  const k = Math.floor(x * (STEPS_PER_OCTAVE / Math.LN2) + 0.5);
  const r = x - k * LN2_HI - k * LN2_LO;
  const poly = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  // 2^(k/64) with k = −m ≤ 0: 2^−⌊m/64⌋ when m is a multiple of 64, else 2^−(⌊m/64⌋+1) · 2^((64 − m mod 64)/64).
  const m = -k;
  const octave = Math.floor(m / STEPS_PER_OCTAVE);
  const step = m % STEPS_PER_OCTAVE;
  return step === 0 ? NEGATIVE_POWERS[octave] * poly : NEGATIVE_POWERS[octave + 1] * FRACTIONAL_POWERS[STEPS_PER_OCTAVE - step] * poly;
}
