// Shared by the TPE and GP contract tests: small studies on Branin and a mixed conditional space.
import type { Params } from "../../../search/parameters";
import { parseSearchSpace } from "../../../search/space";
import { createStudy } from "../../../search/study";
import type { Sampler, SearchSpace } from "../../../search/types";

export const BRANIN_SPACE = parseSearchSpace({
  x1: { min: -5, max: 10, distribution: "uniform" },
  x2: { min: 0, max: 15, distribution: "uniform" },
});
const BRANIN_MIN = 0.397887357729738;

export function branin(p: Params): number {
  const x1 = p.x1 as number;
  const x2 = p.x2 as number;
  return (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
}

/** Log floats, stepped ints, a quantized float, categoricals, a sgd-only momentum and per-layer units. */
export const MIXED_SPACE = parseSearchSpace({
  optimizer: { values: ["adam", "sgd", "rmsprop"] },
  lr: { distribution: "log_uniform_values", min: 1e-4, max: 1e-1 },
  momentum: { min: 0.5, max: 0.99, when: { optimizer: "sgd" } },
  layers: { min: 1, max: 3 },
  units: { min: 16, max: 112, q: 32, distribution: "int_uniform", per_layer_of: "layers" },
  dropout: { min: 0.05, max: 0.5, q: 0.1, distribution: "q_uniform" },
  batch: { values: [16, 32, 64] },
});

/** A smooth objective over MIXED_SPACE with a clear optimum (adam, lr 1e-3, 2 layers of 80 units, dropout 0.2). */
export function mixedObjective(p: Params): number {
  let loss = (Math.log10(p.lr as number) + 3) ** 2 + ((p.dropout as number) - 0.2) ** 2;
  loss += p.optimizer === "adam" ? 0 : p.optimizer === "sgd" ? 0.3 + (0.9 - (p.momentum as number)) ** 2 : 0.5;
  loss += 0.1 * ((p.layers as number) - 2) ** 2 + (p.batch === 32 ? 0 : 0.05);
  for (let i = 1; i <= (p.layers as number); i++) loss += (((p[`units_${i}`] as number) - 80) / 100) ** 2;
  return loss;
}

/** Best-so-far regret of a sequential Branin run. */
export function braninRegret(sampler: Sampler, seed: number, trials: number): number {
  const study = createStudy({ space: BRANIN_SPACE, sampler, seed });
  study.optimize((_hp, trial) => branin(trial.params), trials);
  return study.bestTrial!.value! - BRANIN_MIN;
}

export function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Smallest distance between two of `points` in a unit-scaled numeric space. */
export function minPairwiseDistance(points: Params[], space: SearchSpace): number {
  const names = Object.keys(space);
  const scaled = points.map((p) =>
    names.map((n) => {
      const spec = space[n].spec;
      return spec.kind === "float" || spec.kind === "int" ? ((p[n] as number) - spec.min) / (spec.max - spec.min) : 0;
    }),
  );
  let best = Infinity;
  for (let i = 0; i < scaled.length; i++)
    for (let j = 0; j < i; j++) best = Math.min(best, Math.hypot(...scaled[i].map((v, d) => v - scaled[j][d])));
  return best;
}

/** `concurrent` suggestions asked together (none told) after `finished` sequential Branin trials. */
export function concurrentSuggestions(sampler: Sampler, seed: number, finished: number, concurrent: number): Params[] {
  const study = createStudy({ space: BRANIN_SPACE, sampler, seed });
  study.optimize((_hp, trial) => branin(trial.params), finished);
  return Array.from({ length: concurrent }, () => ({ ...study.ask().params }));
}
