// Random search as a Sampler: each value depends only on (seed, trial number, attempt, parameter name), so the
// draw is the same in any process and does not shift when parameters are added, removed or reordered.
import type { ParameterSpec, ParamValue, Params } from "../parameters";
import { valueFromUnit } from "../space/spec-values";
import type { FrozenTrial, Sampler, StudyView } from "../types";
import { hashName, trialRng } from "./trial-stream";

export interface RandomSamplerOptions {
  /** Defaults to the study's seed. */
  seed?: number;
}

export class RandomSampler implements Sampler {
  readonly name = "random";

  constructor(private readonly options: RandomSamplerOptions = {}) {}

  sampleRelative(): Params {
    return {};
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, spec: ParameterSpec): ParamValue {
    const rand = trialRng(this.options.seed ?? study.seed, trial, hashName(name));
    return valueFromUnit(spec, rand());
  }
}

export function createRandomSampler(options: RandomSamplerOptions = {}): RandomSampler {
  return new RandomSampler(options);
}
