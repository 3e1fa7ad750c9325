// The samplers the benchmark runs: our random sampler and, when search/samplers/tpe exists, TPE (Optuna's results
// include TPE). Both take the space in the study's SearchSpace form.
import type { ParameterSpec, Params } from "../../search/parameters";
import { sampleRandom } from "../../search/random-sampler";
import type { FrozenTrial, Sampler, SearchSpace, StudyView } from "../../search/types";

export type Propose = (study: StudyView, trial: FrozenTrial) => Params;

export interface BenchSampler {
  name: string;
  /** One proposer per study (a sampler may keep per-study caches). */
  create(seed: number): Propose;
}

/** sampleRandom draws ints without their step, so a stepped int is drawn as its grid index and mapped back. */
export function randomSampler(space: SearchSpace): BenchSampler {
  const indexSpace: Record<string, ParameterSpec> = {};
  const decoders: Record<string, (v: number) => number> = {};
  for (const [name, { spec }] of Object.entries(space)) {
    if (spec.kind === "int" && spec.q !== undefined && spec.q !== 1) {
      const { min, q } = spec;
      indexSpace[name] = { kind: "int", min: 0, max: Math.floor((spec.max - min) / q), log: false };
      decoders[name] = (i) => min + i * q;
    } else indexSpace[name] = spec;
  }
  return {
    name: "random",
    create: (seed) => (_study, trial) => {
      const params = sampleRandom(indexSpace, seed, trial.number);
      for (const [name, decode] of Object.entries(decoders)) params[name] = decode(Number(params[name]));
      return params;
    },
  };
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
