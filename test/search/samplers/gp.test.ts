// GP Bayesian optimisation against its contract, plus checks of the numerics it is built on.
import { describe, expect, it } from "vitest";
import { specContains } from "../../../search/space";
import { createGpSampler, refitCheckpoint } from "../../../search/samplers/gp/index";
import { logExpectedImprovement } from "../../../search/samplers/gp/acquisition";
import { SpaceEncoding } from "../../../search/samplers/gp/encoding";
import { negLogPosterior, pairwiseSqDiffs } from "../../../search/samplers/gp/fit";
import { choleskyInPlace, choleskySolve } from "../../../search/samplers/gp/linalg";
import { GpPosterior } from "../../../search/samplers/gp/posterior";
import { boundedTrainingSet } from "../../../search/samplers/gp/training-set";
import { createRandomSampler } from "../../../search/samplers/random-sampler";
import { normalCdf, normalPdf } from "../../../search/samplers/shared-math";
import { createStudy } from "../../../search/study";
import type { FrozenTrial } from "../../../search/types";
import { BRANIN_SPACE, braninRegret, concurrentSuggestions, median, minPairwiseDistance, MIXED_SPACE, mixedObjective } from "./sampler-helpers";

describe("GP sampler", () => {
  it("proposes legal values for exactly the active parameters of a mixed conditional space, and learns it", () => {
    const study = createStudy({ space: MIXED_SPACE, sampler: createGpSampler(), seed: 3 });
    study.optimize((_hp, t) => mixedObjective(t.params), 30);
    for (const t of study.trials()) {
      for (const [name, value] of Object.entries(t.params)) expect(specContains(MIXED_SPACE[name].spec, value), `${name}=${value}`).toBe(true);
      expect("momentum" in t.params).toBe(t.params.optimizer === "sgd");
      for (let i = 1; i <= 3; i++) expect(`units_${i}` in t.params).toBe(i <= (t.params.layers as number));
    }
    const random = createStudy({ space: MIXED_SPACE, sampler: createRandomSampler(), seed: 3 });
    random.optimize((_hp, t) => mixedObjective(t.params), 30);
    expect(study.bestTrial!.value!).toBeLessThan(random.bestTrial!.value!);
  });

  it("is deterministic under a seed (fresh sampler instances) and differs across seeds", () => {
    const run = (seed: number) => {
      const study = createStudy({ space: BRANIN_SPACE, sampler: createGpSampler(), seed });
      study.optimize((_hp, t) => (t.params.x1 as number) ** 2 + (t.params.x2 as number), 14);
      return study.trials().map((t) => t.params);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("beats random search on Branin (median regret over 3 seeds at 30 trials)", () => {
    const seeds = [0, 1, 2];
    const gp = median(seeds.map((s) => braninRegret(createGpSampler(), s, 30)));
    const random = median(seeds.map((s) => braninRegret(createRandomSampler(), s, 30)));
    expect(gp).toBeLessThan(random / 10);
  });

  it("fantasises running trials, so concurrent suggestions spread out", () => {
    const spread = (constantLiar: boolean) =>
      median([0, 1, 2].map((seed) => minPairwiseDistance(concurrentSuggestions(createGpSampler({ constantLiar }), seed, 12, 4), BRANIN_SPACE)));
    const withLiar = spread(true);
    expect(withLiar).toBeGreaterThan(0.02);
    expect(withLiar).toBeGreaterThan(3 * spread(false));
  });

  it("keeps the training set bounded: the best quarter plus the most recent", () => {
    const observations = Array.from({ length: 500 }, (_, i) => ({
      trial: { number: i, state: "complete", params: {}, value: (i * 7919) % 500, intermediate: {}, systemAttrs: {} } as FrozenTrial,
      loss: (i * 7919) % 500,
    }));
    const kept = boundedTrainingSet(observations, 100);
    expect(kept).toHaveLength(100);
    expect(kept.some((o) => o.loss === 0)).toBe(true);
    expect(kept.some((o) => o.trial.number === 499)).toBe(true);
  });

  it("refits hyperparameters at every trial early on, then ever more rarely", () => {
    expect([10, 40, 44, 45, 46].map((n) => refitCheckpoint(n, 40, 5))).toEqual([10, 40, 40, 45, 45]);
    const checkpoints = new Set(Array.from({ length: 1000 }, (_, i) => refitCheckpoint(i + 1, 40, 5)));
    expect(checkpoints.size).toBeLessThan(80);
  });
});

describe("GP numerics", () => {
  it("solves with a Cholesky factor", () => {
    const a = Float64Array.from([4, 2, 0.6, 2, 5, 1.5, 0.6, 1.5, 3]);
    const l = Float64Array.from(a);
    expect(choleskyInPlace(l, 3)).toBe(true);
    const x = choleskySolve(l, 3, [1, 2, 3]);
    for (let i = 0; i < 3; i++) expect(a[i * 3] * x[0] + a[i * 3 + 1] * x[1] + a[i * 3 + 2] * x[2]).toBeCloseTo(i + 1, 10);
  });

  it("has an analytic marginal-likelihood gradient that matches finite differences", () => {
    const encoding = new SpaceEncoding(MIXED_SPACE);
    const study = createStudy({ space: MIXED_SPACE, sampler: createRandomSampler(), seed: 1 });
    study.optimize((_hp, t) => mixedObjective(t.params), 15);
    const points = study.trials().map((t) => encoding.encode(t.params));
    const y = Float64Array.from(study.trials(), (t) => t.value!);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const yc = y.map((v) => v - mean);
    const sq = pairwiseSqDiffs(points, encoding.categorical);
    const dims = encoding.dims;
    const theta = Float64Array.from({ length: dims + 2 }, (_, i) => (i < dims ? Math.log(0.3 + 0.1 * i) : i === dims ? 0.2 : Math.log(0.01)));
    const { grad } = negLogPosterior(theta, sq, yc, dims);
    for (let i = 0; i < theta.length; i++) {
      const h = 1e-5;
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[i] += h;
      down[i] -= h;
      const numeric = (negLogPosterior(up, sq, yc, dims).value - negLogPosterior(down, sq, yc, dims).value) / (2 * h);
      expect(grad[i]).toBeCloseTo(numeric, 4);
    }
  });

  it("interpolates its training data (near-zero noise) and log EI is stable far in the tail", () => {
    const points = [0.1, 0.4, 0.8].map((v) => Float64Array.from([v]));
    const posterior = new GpPosterior(points, Float64Array.from([1, -1, 0.5]), { invLs2: Float64Array.from([1 / 0.09]), signal: 1, noise: 1e-6 }, [false]);
    expect(posterior.predict([0.4]).mean).toBeCloseTo(-1, 4);
    expect(posterior.predict([0.4]).variance).toBeLessThan(1e-4);
    const z = 1.3;
    expect(logExpectedImprovement(0, 1, z)).toBeCloseTo(Math.log(normalPdf(z) + z * normalCdf(z)), 6);
    const far = logExpectedImprovement(40, 1, 0);
    expect(Number.isFinite(far)).toBe(true);
    expect(far).toBeLessThan(logExpectedImprovement(20, 1, 0));
  });
});
