// Quasi-random search: trial n takes point n of a scrambled Halton sequence, one dimension per non-constant
// parameter in space order, mapped through each parameter's spec (log, integer, step, categorical). The point
// depends only on (seed, trial number), so a restarted study resumes the sequence where its trials left off.
import type { ParameterSpec, ParamValue, Params } from "../parameters";
import { valueFromUnit } from "../space/spec-values";
import type { FrozenTrial, Sampler, SearchSpace, StudyView } from "../types";
import { ScrambledHalton } from "./halton";
import { RandomSampler } from "./random-sampler";

export interface QuasiRandomSamplerOptions {
  /** Defaults to the study's seed. */
  seed?: number;
}

// A re-ask after a duplicate jumps this far ahead in the sequence (a prime, so jumps rarely land on each other).
const ATTEMPT_STRIDE = 104_729;

export class QuasiRandomSampler implements Sampler {
  readonly name = "quasi-random";
  private readonly sequences = new Map<number, ScrambledHalton>();
  // Parameters defined by run have no place in a declared sequence: they are drawn at random.
  private readonly independent: RandomSampler;

  constructor(private readonly options: QuasiRandomSamplerOptions = {}) {
    this.independent = new RandomSampler(options);
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, space: SearchSpace): Params {
    const sequence = this.sequenceFor(this.options.seed ?? study.seed);
    const index = trial.number + (trial.sampleAttempt ?? 0) * ATTEMPT_STRIDE;
    const params: Params = {};
    let dimension = 0;
    // Inactive parameters keep their dimension, so a parameter's coordinate never depends on other values.
    for (const [name, { spec }] of Object.entries(space)) {
      if (spec.kind === "constant") continue;
      params[name] = valueFromUnit(spec, sequence.point(index, dimension++));
    }
    return params;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, spec: ParameterSpec): ParamValue {
    return this.independent.sampleIndependent(study, trial, name, spec);
  }

  private sequenceFor(seed: number): ScrambledHalton {
    let sequence = this.sequences.get(seed);
    if (!sequence) this.sequences.set(seed, (sequence = new ScrambledHalton(seed)));
    return sequence;
  }
}

export function createQuasiRandomSampler(options: QuasiRandomSamplerOptions = {}): QuasiRandomSampler {
  return new QuasiRandomSampler(options);
}
