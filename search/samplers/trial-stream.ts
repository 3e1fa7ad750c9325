// Seeded streams for samplers. A trial's stream depends on (seed, trial number, attempt, salt), never on how many
// numbers other trials drew, so any process (restarted or not) proposes the same values for the same trial.
// `attempt` is set by the study when it rejected a proposal as a duplicate: mixing it in perturbs the stream.
import { createRng, mixSeed } from "../rng";
import type { FrozenTrial } from "../types";

/** FNV-1a of a string, for mixing parameter names into seeds. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function trialRng(seed: number, trial: Pick<FrozenTrial, "number" | "sampleAttempt">, ...salt: number[]): () => number {
  return createRng(mixSeed(seed, trial.number, trial.sampleAttempt ?? 0, ...salt));
}
