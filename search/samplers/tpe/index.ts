// Tree-structured Parzen Estimator (Bergstra et al. 2011; Optuna's defaults): split past trials into the best
// γ-fraction and the rest, fit a Parzen estimator l(x) to the good ones and g(x) to the others, draw candidates from
// l and keep the one maximising l(x)/g(x). Univariate by default; `multivariate` models parameters jointly, and
// `group` does so per set of co-occurring parameters (conditional spaces). `constantLiar` counts running trials as
// bad so that parallel workers spread out. Every draw comes from a stream fixed by (seed, trial number, re-ask attempt, parameter).
import type { ParameterSpec, ParamValue, Params } from "../../parameters";
import type { FrozenTrial, Sampler, SearchSpace, StudyView } from "../../types";
import { hashName, trialRng } from "../trial-stream";
import { categoryIndex, domainOf, randomValue, type Domain } from "../shared-math-domain";
import { coOccurringGroups } from "./groups";
import { defaultGamma, defaultWeights, evidenceTrials, rankTrials, splitTrials, type GammaFn } from "./observations";
import { ParzenEstimator, type Columns } from "./parzen";

export interface TpeOptions {
  /** Defaults to the study's seed. */
  seed?: number;
  /** Random trials before the model takes over (complete + pruned trials). Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per suggestion. Default 24. */
  nEiCandidates?: number;
  multivariate?: boolean;
  /** With `multivariate`: one joint estimator per set of co-occurring parameters. Default true. */
  group?: boolean;
  constantLiar?: boolean;
  priorWeight?: number;
  /** Score continuous kernels as normalised densities instead of Optuna 3.1's σ-free score (see parzen.ts). */
  normalizedKernels?: boolean;
  gamma?: GammaFn;
  weights?: (n: number) => number[];
}

const RELATIVE_STREAM = 0x7e1a7e1a;

export function createTpeSampler(options: TpeOptions = {}): Sampler {
  const nStartupTrials = options.nStartupTrials ?? 10;
  const nCandidates = options.nEiCandidates ?? 24;
  const multivariate = options.multivariate ?? false;
  const group = options.group ?? true;
  const constantLiar = options.constantLiar ?? false;
  const priorWeight = options.priorWeight ?? 1;
  const normalizedKernels = options.normalizedKernels ?? false;
  const gamma = options.gamma ?? defaultGamma;
  const weightsOf = options.weights ?? defaultWeights;

  const seedOf = (study: StudyView) => options.seed ?? study.seed;
  const inStartup = (study: StudyView) => study.trials(["complete", "pruned"]).length < nStartupTrials;

  // The global ranking is shared by every parameter of a trial: recomputed only when the study's trials change.
  // A StudyView may hand out the same array while it grows or while its trials change state in place (finished
  // trials never change after that), so the cache key is the array plus its length and per-state counts.
  let ranking: { source: readonly FrozenTrial[]; key: string; rankOf: Map<number, number> } | null = null;
  const rankingFor = (study: StudyView) => {
    const source = study.trials();
    let complete = 0;
    let pruned = 0;
    for (const t of source) {
      if (t.state === "complete") complete++;
      else if (t.state === "pruned") pruned++;
    }
    const key = `${study.direction}|${source.length}|${complete}|${pruned}`;
    if (ranking?.source !== source || ranking.key !== key) {
      ranking = { source, key, rankOf: rankTrials(source, study.direction) };
    }
    return ranking.rankOf;
  };

  /** The best of `nCandidates` draws from l(x) by log l(x) − log g(x), or null without evidence. */
  function sampleGroup(study: StudyView, trial: FrozenTrial, names: string[], domains: Domain[], spaceDims: number, rand: () => number): ParamValue[] | null {
    const evidence = evidenceTrials(study, trial, names, constantLiar);
    const { below, above } = splitTrials(evidence, rankingFor(study), gamma);
    if (below.length === 0) return null;
    const estimator = (trials: FrozenTrial[]) =>
      new ParzenEstimator(domains, columnsOf(trials, names, domains), weightsOf(trials.length), {
        multivariate,
        priorWeight,
        spaceDims,
        normalizedKernels,
      });
    const good = estimator(below);
    const bad = estimator(above);
    const candidates = good.sample(rand, nCandidates);
    const logL = good.logPdf(candidates);
    const logG = bad.logPdf(candidates);
    let best = 0;
    for (let s = 1; s < nCandidates; s++) if (logL[s] - logG[s] > logL[best] - logG[best]) best = s;
    return domains.map((domain, d) => {
      const x = candidates[d][best];
      return domain.kind === "categorical" ? domain.values[x] : x;
    });
  }

  return {
    name: multivariate ? "tpe-multivariate" : "tpe",

    sampleRelative(study: StudyView, trial: FrozenTrial, space: SearchSpace): Params {
      if (!multivariate || inStartup(study)) return {};
      const names = Object.keys(space).filter((name) => domainOf(space[name].spec) !== null);
      if (names.length === 0) return {};
      const history = study.trials(constantLiar ? ["complete", "pruned", "running"] : ["complete", "pruned"]);
      const groups = group ? coOccurringGroups(names, history) : [names];
      const rand = trialRng(seedOf(study), trial, RELATIVE_STREAM);
      const params: Params = {};
      for (const groupNames of groups) {
        const domains = groupNames.map((name) => domainOf(space[name].spec)!);
        const values = sampleGroup(study, trial, groupNames, domains, names.length, rand);
        if (values) groupNames.forEach((name, d) => (params[name] = values[d]));
      }
      return params;
    },

    sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, spec: ParameterSpec): ParamValue {
      const rand = trialRng(seedOf(study), trial, hashName(name));
      const domain = domainOf(spec);
      if (domain === null || inStartup(study)) return randomValue(spec, rand);
      return sampleGroup(study, trial, [name], [domain], 1, rand)?.[0] ?? randomValue(spec, rand);
    },
  };
}

/** Observations as columns (categories as indices; a value no longer in the spec counts as the first category). */
function columnsOf(trials: FrozenTrial[], names: string[], domains: Domain[]): Columns {
  return domains.map((domain, d) =>
    Float64Array.from(trials, (t) => {
      const value = t.params[names[d]];
      return domain.kind === "categorical" ? Math.max(0, categoryIndex(domain, value)) : Number(value);
    }),
  );
}
