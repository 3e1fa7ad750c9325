// Scrambled Halton sequence: dimension d uses the d-th prime as base, and each of the first digits of the
// radical inverse goes through its own seeded permutation (random digit scrambling, as in scipy's Halton).
// Scrambling breaks the correlation between high dimensions and keeps stratification: the first b^k points of
// a dimension in base b still fall one per interval of width b^-k.
import { createRng, mixSeed } from "../rng";

const HALTON_SALT = 0x4841_4c54; // "HALT"
const INDEX_BITS = 32; // enough digits to tell apart 2^32 points in every base

const primes: number[] = [];

export function nthPrime(n: number): number {
  let candidate = primes.length ? primes[primes.length - 1] + 1 : 2;
  while (primes.length <= n) {
    if (primes.every((p) => p * p > candidate || candidate % p !== 0)) primes.push(candidate);
    candidate += 1;
  }
  return primes[n];
}

export class ScrambledHalton {
  private readonly permutations = new Map<number, Uint16Array[]>();

  constructor(private readonly seed: number) {}

  /** Coordinate `dimension` of point `index`, in [0, 1). */
  point(index: number, dimension: number): number {
    const base = nthPrime(dimension);
    const perms = this.permutationsFor(dimension, base);
    let result = 0;
    let scale = 1 / base;
    let rest = index;
    for (const perm of perms) {
      result += perm[rest % base] * scale;
      rest = Math.floor(rest / base);
      scale /= base;
    }
    return Math.min(result, 1 - Number.EPSILON);
  }

  private permutationsFor(dimension: number, base: number): Uint16Array[] {
    let perms = this.permutations.get(dimension);
    if (!perms) {
      const digits = Math.ceil(INDEX_BITS / Math.log2(base));
      perms = Array.from({ length: digits }, (_, digit) => shuffledDigits(base, mixSeed(this.seed, HALTON_SALT, dimension, digit)));
      this.permutations.set(dimension, perms);
    }
    return perms;
  }
}

function shuffledDigits(base: number, seed: number): Uint16Array {
  const rand = createRng(seed);
  const digits = Uint16Array.from({ length: base }, (_, i) => i);
  for (let i = base - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [digits[i], digits[j]] = [digits[j], digits[i]];
  }
  return digits;
}
