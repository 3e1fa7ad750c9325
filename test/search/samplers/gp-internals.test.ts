// The GP sampler's speed-ups against their contracts: incremental Cholesky factors equal full ones bit for bit,
// caches never change a proposal, batched predictions and log-EI gradients agree with their scalar definitions.
import { describe, expect, it } from "vitest";
import { acquisitionBudget, logExpectedImprovement } from "../../../search/samplers/gp/acquisition";
import { SpaceEncoding } from "../../../search/samplers/gp/encoding";
import { covarianceFactor } from "../../../search/samplers/gp/factor-cache";
import { clearGpCaches, createGpSampler } from "../../../search/samplers/gp/index";
import { expNonPositive, matern52, scaledSqDist } from "../../../search/samplers/gp/kernel";
import { minimizeLbfgsTogether } from "../../../search/samplers/gp/lbfgs";
import { choleskyInPlace, choleskyInverse } from "../../../search/samplers/gp/linalg";
import { factorRobustly, PackedCholesky, rowStart } from "../../../search/samplers/gp/packed-cholesky";
import { GpPosterior } from "../../../search/samplers/gp/posterior";
import { posteriorTrainingSet, type Observation } from "../../../search/samplers/gp/training-set";
import { transformObjective } from "../../../search/samplers/gp/output-transform";
import { createRng } from "../../../search/rng";
import { parseSearchSpace } from "../../../search/space";
import { createStudy } from "../../../search/study";
import type { FrozenTrial } from "../../../search/types";
import { MIXED_SPACE, mixedObjective } from "./sampler-helpers";

const HYPER = { invLs2: Float64Array.from([4, 9, 2]), signal: 1.3, noise: 1e-4 };
const CATEGORICAL = [false, false, true];

/** Random encoded points: two numeric coordinates (the second sometimes inactive) and a 3-way categorical. */
function randomPoints(count: number, seed: number): Float64Array[] {
  const rand = createRng(seed);
  return Array.from({ length: count }, () => Float64Array.from([rand(), rand() < 0.2 ? NaN : rand(), Math.floor(3 * rand())]));
}

function kernelRows(points: Float64Array[]): (i: number) => Float64Array {
  return (i) => {
    const row = new Float64Array(i + 1);
    for (let j = 0; j < i; j++) row[j] = HYPER.signal * matern52(scaledSqDist(points[i], points[j], HYPER.invLs2, CATEGORICAL));
    row[i] = HYPER.signal + HYPER.noise;
    return row;
  };
}

const packedRows = (factor: PackedCholesky) => Array.from(factor.packed.subarray(0, rowStart(factor.size)));

describe("incremental Cholesky", () => {
  it("grows row by row into exactly the factor computed at once, and L·Lᵀ reproduces K", () => {
    const points = randomPoints(40, 1);
    const rowOf = kernelRows(points);
    const full = factorRobustly(40, rowOf, 1);
    const grown = factorRobustly(25, rowOf, 1).truncatedCopy(25);
    for (let i = 25; i < 40; i++) expect(grown.append(rowOf(i))).toBe(true);
    expect(packedRows(grown)).toEqual(packedRows(full));
    const l = full.packed;
    for (let i = 0; i < 40; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += l[rowStart(i) + k] * l[rowStart(j) + k];
        expect(s).toBeCloseTo(rowOf(i)[j], 12);
      }
  });

  it("keeps prefix views valid while the factor they share storage with keeps growing", () => {
    const points = randomPoints(60, 2);
    const rowOf = kernelRows(points);
    const growing = factorRobustly(10, rowOf, 1).truncatedCopy(10);
    const view = growing.prefix(6);
    for (let i = 10; i < 60; i++) growing.append(rowOf(i)); // reallocates its storage on the way
    expect(packedRows(view)).toEqual(packedRows(factorRobustly(6, rowOf, 1)));
    expect(() => view.append(rowOf(6))).toThrow();
    const b = Float64Array.from({ length: 6 }, (_, i) => i - 2);
    const x = view.solveUpper(view.solveLower(b, new Float64Array(6)), new Float64Array(6));
    for (let i = 0; i < 6; i++) {
      let s = 0;
      for (let j = 0; j < 6; j++) s += (j <= i ? rowOf(i)[j] : rowOf(j)[i]) * x[j];
      expect(s).toBeCloseTo(b[i], 9);
    }
  });

  it("extends a cached covariance factor to exactly what a cold process computes", () => {
    const points = randomPoints(50, 3);
    clearGpCaches();
    covarianceFactor(points.slice(0, 30), HYPER, CATEGORICAL);
    covarianceFactor(points.slice(0, 42), HYPER, CATEGORICAL);
    const warm = covarianceFactor(points, HYPER, CATEGORICAL);
    const warmPrefix = covarianceFactor(points.slice(0, 35), HYPER, CATEGORICAL);
    clearGpCaches();
    expect(packedRows(warm)).toEqual(packedRows(covarianceFactor(points, HYPER, CATEGORICAL)));
    clearGpCaches();
    expect(packedRows(warmPrefix)).toEqual(packedRows(covarianceFactor(points.slice(0, 35), HYPER, CATEGORICAL)));
  });

  it("inverts a covariance matrix from its dense factor", () => {
    const points = randomPoints(20, 4);
    const rowOf = kernelRows(points);
    const k = new Float64Array(400);
    for (let i = 0; i < 20; i++) for (let j = 0; j <= i; j++) k[i * 20 + j] = k[j * 20 + i] = rowOf(i)[j];
    const l = Float64Array.from(k);
    expect(choleskyInPlace(l, 20)).toBe(true);
    const inv = choleskyInverse(l, 20);
    for (let i = 0; i < 20; i++)
      for (let j = 0; j < 20; j++) {
        let s = 0;
        for (let m = 0; m < 20; m++) s += k[i * 20 + m] * inv[m * 20 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 6);
      }
  });
});

describe("GP posterior", () => {
  const points = randomPoints(30, 5);
  const y = Float64Array.from(points, (p) => Math.sin(6 * p[0]) + (Number.isNaN(p[1]) ? 0.5 : p[1]) - 0.3 * p[2]);
  const posterior = new GpPosterior(points, y, HYPER, CATEGORICAL);

  it("gives the same predictions in batches of any size as one by one", () => {
    const queries = randomPoints(7, 6);
    const means = new Float64Array(7);
    const variances = new Float64Array(7);
    posterior.predictBatch(Float64Array.from(queries.flatMap((q) => [...q])), 7, means, variances);
    queries.forEach((q, i) => expect(posterior.predict(q)).toEqual({ mean: means[i], variance: variances[i] }));
  });

  it("has a log-EI gradient that matches finite differences, inactive coordinates included", () => {
    const best = Math.min(...posterior.trainingMeans(y));
    const logEi = (x: Float64Array) => {
      const { mean, variance } = posterior.predict(x);
      return logExpectedImprovement(mean, variance, best);
    };
    const queries = [Float64Array.from([0.3, 0.6, 1]), Float64Array.from([0.8, NaN, 0]), Float64Array.from([0.55, 0.15, 2])];
    const free = queries.map((q) => (Number.isNaN(q[1]) ? [0] : [0, 1]));
    const evaluations = posterior.logEiWithGradients(queries, free, best);
    queries.forEach((q, k) => {
      expect(evaluations[k].value).toBeCloseTo(logEi(q), 6);
      free[k].forEach((d, f) => {
        const h = 1e-6;
        const up = Float64Array.from(q);
        const down = Float64Array.from(q);
        up[d] += h;
        down[d] -= h;
        const numeric = (logEi(up) - logEi(down)) / (2 * h);
        expect(Math.abs(evaluations[k].grad[f] - numeric)).toBeLessThan(1e-4 * Math.max(1, Math.abs(numeric)));
      });
    });
  });

  it("computes the kernel's exponential to within rounding", () => {
    for (let x = 0; x > -700; x -= 0.37) expect(Math.abs(expNonPositive(x) / Math.exp(x) - 1)).toBeLessThan(1e-14);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-800)).toBe(0);
  });
});

describe("GP sampler determinism and bounded cost", () => {
  it("proposes exactly the same with caches cleared before every ask as with warm caches", () => {
    // Small settings so that 45 trials cross pipelined refits and re-selections of the bounded training set.
    const run = (cold: boolean) => {
      clearGpCaches();
      const sampler = createGpSampler({ seed: 11, refitEachUntil: 10, refitEvery: 4, maxFitPoints: 24, maxHyperparameterPoints: 16 });
      const study = createStudy({ space: MIXED_SPACE, sampler, seed: 11 });
      for (let i = 0; i < 45; i++) {
        if (cold) clearGpCaches();
        const trial = study.ask();
        study.tell(trial, mixedObjective(trial.params));
      }
      return study.trials().map((t) => t.params);
    };
    expect(run(true)).toEqual(run(false));
  });

  it("keeps the posterior's training set bounded, growing only at its end between re-selections", () => {
    const observations: Observation[] = Array.from({ length: 300 }, (_, i) => ({
      trial: { number: i, state: "complete", params: {}, value: (i * 37) % 101, intermediate: {}, systemAttrs: {} } as FrozenTrial,
      loss: (i * 37) % 101,
    }));
    for (let n = 1; n <= 300; n++) {
      const set = posteriorTrainingSet(observations.slice(0, n), 100, 25);
      expect(set.length).toBeLessThanOrEqual(100);
      const next = posteriorTrainingSet(observations.slice(0, n + 1), 100, 25);
      const reselects = n + 1 > 100 && (n === 100 || (n + 1 - 100) % 25 === 0);
      if (!reselects) expect(next.slice(0, set.length)).toEqual(set);
    }
  });

  it("spends more acquisition effort when predictions are cheap, never less than its base budget", () => {
    expect(acquisitionBudget(10, 0).sweepSize).toBe(16 * acquisitionBudget(100, 0).sweepSize);
    expect(acquisitionBudget(1000, 0)).toEqual(acquisitionBudget(100, 0));
    expect(acquisitionBudget(50, 0).gradientIterations).toBeGreaterThan(acquisitionBudget(100, 0).gradientIterations);
  });

  it("runs L-BFGS searches in lock step, each to its own box-constrained minimum", () => {
    const targets = [0.2, 0.7, 1.4];
    const results = minimizeLbfgsTogether(
      (xs, runs) => xs.map((x, k) => ({ value: (x[0] - targets[runs[k]]) ** 2 + 3 * (x[1] - 0.5) ** 2, grad: Float64Array.from([2 * (x[0] - targets[runs[k]]), 6 * (x[1] - 0.5)]) })),
      targets.map(() => Float64Array.from([0.5, 0.1])),
      targets.map(() => ({ lower: new Float64Array(2), upper: Float64Array.from([1, 1]), maxIterations: 50 })),
    );
    expect(results.map((r) => Number(r.x[0].toFixed(5)))).toEqual([0.2, 0.7, 1]);
    for (const r of results) expect(r.x[1]).toBeCloseTo(0.5, 5);
  });

  it("standardises objective values and keeps their order through the power transform", () => {
    const y = transformObjective([3, 1e6, 5, 2, 40, 1]);
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    expect(y.reduce((a, b) => a + b * b, 0) / y.length).toBeCloseTo(1, 10);
    expect(Array.from(y.keys()).sort((a, b) => y[a] - y[b])).toEqual([5, 3, 0, 2, 4, 1]);
  });

  it("snaps points coordinate by coordinate as through a parameter object", () => {
    const encoding = new SpaceEncoding(
      parseSearchSpace({
        lr: { distribution: "log_uniform_values", min: 1e-4, max: 1e-1 },
        units: { min: 16, max: 112, q: 32, distribution: "int_uniform" },
        filters: { min: 8, max: 64, q: 8, distribution: "q_log_uniform_values" },
        dropout: { min: 0.05, max: 0.5, q: 0.1, distribution: "q_uniform" },
        batch: { values: [16, 32, 64] },
      }),
    );
    const rand = createRng(12);
    for (let i = 0; i < 50; i++) {
      const raw = Float64Array.from(encoding.domains, (d) => (d.kind === "categorical" ? Math.floor(rand() * d.values.length) : rand()));
      const out = new Float64Array(encoding.dims);
      encoding.snapInto(raw, out, 0);
      // Continuous coordinates are only clamped (the round trip through a value differs by rounding).
      encoding.snap(raw).forEach((v, d) => expect(out[d]).toBeCloseTo(v, 12));
    }
  });
});
