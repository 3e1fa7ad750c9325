// The samplers the benchmark runs: random, TPE (Optuna's results include both) and GP, all over the study's SearchSpace.
import type { Params } from "../../search/parameters";
import { createRandomSampler } from "../../search/samplers/random-sampler";
import type { FrozenTrial, Sampler, SearchSpace, StudyView } from "../../search/types";

export type Propose = (study: StudyView, trial: FrozenTrial) => Params;

export interface BenchSampler {
  name: string;
  /** One proposer per study (a sampler may keep per-study caches). */
  create(seed: number): Propose;
}

/** Adapts a Sampler (relative first, then independent for what is still missing), as the study does. */
export function fromSampler(name: string, space: SearchSpace, make: (seed: number) => Sampler): BenchSampler {
  return {
    name,
    create: (seed) => {
      const sampler = make(seed);
      return (study, trial) => {
        const params = { ...sampler.sampleRelative(study, trial, space) };
        for (const [param, { spec }] of Object.entries(space)) {
          if (!(param in params)) params[param] = sampler.sampleIndependent(study, trial, param, spec);
        }
        return params;
      };
    },
  };
}

/** The library's random sampler (each value from (seed, trial, parameter name)). */
export function randomSampler(space: SearchSpace): BenchSampler {
  return fromSampler("random", space, (seed) => createRandomSampler({ seed }));
}

/** TPE if the TPE module is present in this checkout, else null (the benchmark then runs random only). */
export async function tpeSampler(space: SearchSpace, options: { multivariate?: boolean } = {}): Promise<BenchSampler | null> {
  try {
    const tpe = (await import("../../search/samplers/tpe/index")) as {
      createTpeSampler: (options: { seed?: number; multivariate?: boolean }) => Sampler;
    };
    const name = options.multivariate ? "tpe-multivariate" : "tpe";
    return fromSampler(name, space, (seed) => tpe.createTpeSampler({ seed, ...options }));
  } catch {
    return null;
  }
}
