// Every sampler the shared invariant tests (invariants.test.ts) run over. To cover a new sampler, append one
// entry: `create(seed)` must return a fresh instance whose proposals depend only on the seed and the study.
import { createGridSampler, createQuasiRandomSampler, createRandomSampler, createTpeSampler } from "../../../search/samplers";
import { createGpSampler } from "../../../search/samplers/gp/index";
import type { Sampler } from "../../../search/types";

export interface SamplerUnderTest {
  name: string;
  create(seed: number): Sampler;
}

export const ALL_SAMPLERS: SamplerUnderTest[] = [
  { name: "random", create: (seed) => createRandomSampler({ seed }) },
  { name: "grid", create: (seed) => createGridSampler({ gridPoints: 4, shuffle: true, seed }) },
  { name: "grid (ordered)", create: () => createGridSampler({ gridPoints: 4 }) },
  { name: "quasi-random", create: (seed) => createQuasiRandomSampler({ seed }) },
  { name: "tpe (multivariate, constant liar)", create: (seed) => createTpeSampler({ seed, nStartupTrials: 5, multivariate: true, constantLiar: true }) },
  { name: "gp", create: (seed) => createGpSampler({ seed }) },
];
