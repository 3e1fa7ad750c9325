// The samplers the search benchmark can run, by the names used on the command line and in the JSON output.
import { createGpSampler } from "../../search/samplers/gp/index";
import { createRandomSampler } from "../../search/samplers/random-sampler";
import { createTpeSampler } from "../../search/samplers/tpe/index";
import type { Sampler } from "../../search/types";

export const SAMPLER_FACTORIES: Record<string, { config: string; create: (seed: number) => Sampler }> = {
  random: { config: "createRandomSampler({ seed })", create: (seed) => createRandomSampler({ seed }) },
  tpe: { config: "createTpeSampler({ seed })", create: (seed) => createTpeSampler({ seed }) },
  tpe_multivariate: {
    config: "createTpeSampler({ seed, multivariate: true })",
    create: (seed) => createTpeSampler({ seed, multivariate: true }),
  },
  gp: { config: "createGpSampler({ seed })", create: (seed) => createGpSampler({ seed }) },
};

export const DEFAULT_SAMPLERS = ["random", "tpe", "tpe_multivariate", "gp"];
