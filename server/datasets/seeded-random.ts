// Seeded randomness for data splits and batch order: the same seed gives the same sequence on every machine.
import { createRng } from "../../search/rng";

/** Mixes a numeric seed with a purpose label into a 32-bit state, so each use of a seed gets its own stream. */
export function deriveSeed(seed: number, purpose: string): number {
  let hash = 0x811c9dc5 ^ (Math.floor(seed) >>> 0);
  hash = Math.imul(hash, 0x01000193) >>> 0;
  hash ^= Math.floor(seed / 2 ** 32) >>> 0;
  for (let i = 0; i < purpose.length; i++) {
    hash ^= purpose.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Floats in [0, 1), seeded (the same generator the samplers use). */
export const createRandom = createRng;

/** Fisher-Yates in place. */
export function shuffleInPlace<T extends { length: number; [index: number]: number }>(items: T, random: () => number): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
}
