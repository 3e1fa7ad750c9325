// Sobol points with a seeded random digital shift, for the GP's space-filling initial design. Point i is computed
// directly from i (no generator state), so trial n gets design point n in any process. Direction numbers: Joe & Kuo
// (2008, new-joe-kuo-6.21201), dimensions 2–21; further dimensions fall back to seeded uniform draws.
import { createRng, mixSeed } from "../../rng";

const JOE_KUO_ROWS =
  "1 0 1|2 1 1 3|3 1 1 3 1|3 2 1 1 1|4 1 1 1 3 3|4 4 1 3 5 13|5 2 1 1 5 5 17|5 4 1 1 5 5 5|5 7 1 1 7 11 19|" +
  "5 11 1 1 5 1 1|5 13 1 1 1 3 11|5 14 1 3 5 5 31|6 1 1 3 3 9 7 49|6 13 1 1 1 15 21 21|6 16 1 3 1 13 27 49|" +
  "6 19 1 1 1 15 7 5|6 22 1 3 1 15 13 25|6 25 1 1 5 5 19 61|7 1 1 3 7 11 23 15 103|7 4 1 3 7 13 13 15 69";
const BITS = 32;

/** Direction numbers V[d][k] (as 32-bit integers) for every supported dimension. */
const DIRECTIONS: Uint32Array[] = (() => {
  const first = new Uint32Array(BITS).map((_, k) => (1 << (31 - k)) >>> 0);
  const rest = JOE_KUO_ROWS.split("|").map((row) => {
    const [s, a, ...m] = row.split(" ").map(Number);
    const v = new Uint32Array(BITS);
    for (let k = 0; k < BITS; k++) {
      if (k < s) v[k] = (m[k] << (31 - k)) >>> 0;
      else {
        let value = (v[k - s] ^ (v[k - s] >>> s)) >>> 0;
        for (let j = 1; j < s; j++) if ((a >>> (s - 1 - j)) & 1) value = (value ^ v[k - j]) >>> 0;
        v[k] = value;
      }
    }
    return v;
  });
  return [first, ...rest];
})();

export const SOBOL_MAX_DIMS = DIRECTIONS.length;

/** Point `index` of a `dims`-dimensional Sobol sequence, digitally shifted by a seed-dependent mask, in [0,1)^dims. */
export function shiftedSobolPoint(index: number, dims: number, seed: number): Float64Array {
  return shiftedSobolPoints(index, 1, dims, seed)[0];
}

/** Points first..first+count−1 of the same sequence (the shift is drawn once for all of them). */
export function shiftedSobolPoints(first: number, count: number, dims: number, seed: number): Float64Array[] {
  const shiftRng = createRng(mixSeed(seed, 0x50b01));
  const shifts = Uint32Array.from({ length: dims }, () => Math.floor(shiftRng() * 2 ** 32) >>> 0);
  return Array.from({ length: count }, (_, offset) => {
    const index = first + offset;
    const point = new Float64Array(dims);
    const fallback = dims > SOBOL_MAX_DIMS ? createRng(mixSeed(seed, index, 0x50b02)) : null;
    for (let d = 0; d < dims; d++) {
      if (fallback !== null && d >= SOBOL_MAX_DIMS) {
        point[d] = fallback();
        continue;
      }
      let x = 0;
      for (let k = 0, i = index >>> 0; i > 0; k++, i >>>= 1) if (i & 1) x = (x ^ DIRECTIONS[d][k]) >>> 0;
      point[d] = ((x ^ shifts[d]) >>> 0) / 2 ** 32;
    }
    return point;
  });
}
