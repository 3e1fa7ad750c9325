// TPE against its contract: legal values, determinism, better than random, conditional spaces, constant liar.
import { describe, expect, it } from "vitest";
import { specContains } from "../../../search/space";
import { createRandomSampler } from "../../../search/samplers/random-sampler";
import { domainOf, type NumericDomain } from "../../../search/samplers/shared-math-domain";
import { coOccurringGroups } from "../../../search/samplers/tpe/groups";
import { defaultWeights, rankTrials, splitTrials } from "../../../search/samplers/tpe/observations";
import { ParzenEstimator } from "../../../search/samplers/tpe/parzen";
import { normalCdf } from "../../../search/samplers/shared-math";
import { createTpeSampler } from "../../../search/samplers/tpe/index";
import { createStudy } from "../../../search/study";
import type { FrozenTrial } from "../../../search/types";
import { BRANIN_SPACE, braninRegret, concurrentSuggestions, median, minPairwiseDistance, MIXED_SPACE, mixedObjective } from "./sampler-helpers";

function mixedRun(options: Parameters<typeof createTpeSampler>[0], seed: number, trials = 40) {
  const study = createStudy({ space: MIXED_SPACE, sampler: createTpeSampler(options), seed });
  study.optimize((_hp, trial) => mixedObjective(trial.params), trials);
  return study;
}

const trial = (number: number, params: Record<string, number>, value: number | null, state: FrozenTrial["state"] = "complete"): FrozenTrial => ({
  number,
  state,
  params,
  value,
  intermediate: {},
  systemAttrs: {},
});

describe("TPE sampler", () => {
  it.each([
    ["univariate", {}],
    ["multivariate, grouped", { multivariate: true }],
  ])("%s: proposes legal values for every active parameter of a mixed conditional space", (_label, options) => {
    const study = mixedRun({ ...options, nStartupTrials: 8 }, 2);
    for (const t of study.trials()) {
      for (const [name, value] of Object.entries(t.params)) expect(specContains(MIXED_SPACE[name].spec, value), `${name}=${value}`).toBe(true);
      expect("momentum" in t.params).toBe(t.params.optimizer === "sgd");
    }
  });

  it("is deterministic under a seed and differs across seeds", () => {
    const params = (seed: number) => mixedRun({ multivariate: true, nStartupTrials: 5 }, seed, 25).trials().map((t) => t.params);
    expect(params(4)).toEqual(params(4));
    expect(params(4)).not.toEqual(params(5));
  });

  it("learns: on a mixed conditional space it beats random search at 40 trials", () => {
    const best = (sampler: ReturnType<typeof createTpeSampler>, seed: number) => {
      const study = createStudy({ space: MIXED_SPACE, sampler, seed });
      study.optimize((_hp, t) => mixedObjective(t.params), 40);
      return study.bestTrial!.value!;
    };
    const seeds = [0, 1, 2, 3, 4];
    const tpe = median(seeds.map((s) => best(createTpeSampler({ multivariate: true }), s)));
    const random = median(seeds.map((s) => best(createRandomSampler(), s)));
    expect(tpe).toBeLessThan(random);
  });

  it("beats random search on Branin (median regret over 7 seeds at 60 trials)", () => {
    const seeds = [0, 1, 2, 3, 4, 5, 6];
    const tpe = median(seeds.map((s) => braninRegret(createTpeSampler(), s, 60)));
    const random = median(seeds.map((s) => braninRegret(createRandomSampler(), s, 60)));
    expect(tpe).toBeLessThan(random);
  });

  it("with the constant liar, concurrent suggestions spread out instead of piling onto the incumbent", () => {
    const spread = (constantLiar: boolean) =>
      median([0, 1, 2, 3, 4, 5].map((seed) => minPairwiseDistance(concurrentSuggestions(createTpeSampler({ multivariate: true, constantLiar }), seed, 20, 6), BRANIN_SPACE)));
    expect(spread(true)).toBeGreaterThan(spread(false));
  });

  it("groups parameters by the sets that occur together in trials", () => {
    const trials = [trial(0, { a: 1, b: 1, c: 1 }, 1), trial(1, { a: 1, b: 1 }, 1), trial(2, { a: 1, d: 1 }, 1)];
    expect(coOccurringGroups(["a", "b", "c", "d"], trials)).toEqual([["a"], ["b"], ["c"], ["d"]]);
    expect(coOccurringGroups(["a", "b", "c"], [trial(0, { a: 1, b: 1, c: 1 }, 1), trial(1, { a: 1, b: 1 }, 2)])).toEqual([["a", "b"], ["c"]]);
  });

  it("splits the best γ(n) trials from the rest; pruned and running trials rank after complete ones", () => {
    const trials = [trial(0, {}, 5), trial(1, {}, null, "running"), trial(2, {}, 1), trial(3, {}, null, "pruned"), trial(4, {}, 3)];
    const { below, above } = splitTrials(trials, rankTrials(trials, "minimize"), () => 2);
    expect(below.map((t) => t.number)).toEqual([2, 4]);
    expect(above.map((t) => t.number)).toEqual([0, 1, 3]);
    const maximize = splitTrials(trials, rankTrials(trials, "maximize"), () => 1);
    expect(maximize.below.map((t) => t.number)).toEqual([0]);
    expect(defaultWeights(30).slice(-25)).toEqual(new Array(25).fill(1));
    expect(defaultWeights(30)[0]).toBeLessThan(defaultWeights(30)[4]);
  });

  it("Parzen estimators are normalised densities: over an int grid, and over a continuous log range", () => {
    const intDomain = domainOf({ kind: "int", min: 1, max: 20, log: false, q: 1 })!;
    const ints = new ParzenEstimator([intDomain], [Float64Array.from([3, 4, 15])], [1, 1, 1], { multivariate: false, priorWeight: 1, spaceDims: 1, normalizedKernels: true });
    const grid = Float64Array.from({ length: 20 }, (_, i) => i + 1);
    const intMass = ints.logPdf([grid]).reduce((s, v) => s + Math.exp(v), 0);
    expect(intMass).toBeCloseTo(1, 3); // narrow bins use density × width (≤ 0.2% off by design)

    const logDomain = domainOf({ kind: "float", min: 1e-4, max: 1e-1, log: true })! as NumericDomain;
    const floats = new ParzenEstimator([logDomain], [Float64Array.from([1e-3, 2e-3])], [1, 1], { multivariate: true, priorWeight: 1, spaceDims: 3, normalizedKernels: true });
    // Density is over the log axis: integrate over u = log x with the midpoint rule.
    const steps = 4000;
    const width = (logDomain.hi - logDomain.lo) / steps;
    const xs = Float64Array.from({ length: steps }, (_, i) => Math.exp(logDomain.lo + (i + 0.5) * width));
    const mass = floats.logPdf([xs]).reduce((s, v) => s + Math.exp(v) * width, 0);
    expect(mass).toBeCloseTo(1, 3);
  });

  it("scores continuous kernels like Optuna 3.1 (no −log σ) unless normalised, and smooths categories by 1/(n+1)", () => {
    const unit = domainOf({ kind: "float", min: 0, max: 1, log: false })!;
    const options = { multivariate: false, priorWeight: 1, spaceDims: 1 };
    // One observation at 0.5: its kernel is clipped to σ = 1/3 (magic clip, 1/min(100, n + 2)); the prior has σ = 1.
    const at = Float64Array.from([0.5]);
    const mass = (sigma: number) => normalCdf(0.5 / sigma) - normalCdf(-0.5 / sigma);
    const phi0 = 1 / Math.sqrt(2 * Math.PI);
    const sigmaFree = new ParzenEstimator([unit], [at], [1], options).logPdf([at])[0];
    expect(sigmaFree).toBeCloseTo(Math.log(0.5 * phi0 / mass(1 / 3) + 0.5 * phi0 / mass(1)), 6);
    const normalised = new ParzenEstimator([unit], [at], [1], { ...options, normalizedKernels: true }).logPdf([at])[0];
    expect(normalised).toBeCloseTo(Math.log(0.5 * 3 * phi0 / mass(1 / 3) + 0.5 * phi0 / mass(1)), 6);

    const choices = { kind: "categorical" as const, values: ["a", "b", "c"] };
    const cat = new ParzenEstimator([domainOf(choices)!], [Float64Array.from([0, 0, 0])], [1, 1, 1], options);
    // Rows: observations (1/4 + 1, 1/4, 1/4) / 1.75, the prior uniform; four equal weights.
    expect(Math.exp(cat.logPdf([Float64Array.from([0])])[0])).toBeCloseTo((3 * (1.25 / 1.75) + 1 / 3) / 4, 9);
  });
});
