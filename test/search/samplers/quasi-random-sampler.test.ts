import { describe, expect, it } from "vitest";
import { parseSearchSpace, spaceFromSpecs } from "../../../search/space";
import { createQuasiRandomSampler, createRandomSampler } from "../../../search/samplers";
import { ScrambledHalton } from "../../../search/samplers/halton";
import { Study, createStudy } from "../../../search/study";
import type { Sampler } from "../../../search/types";

const unitSquare = spaceFromSpecs({
  x: { kind: "float", min: 0, max: 1, log: false },
  y: { kind: "float", min: 0, max: 1, log: false },
});

function points(sampler: Sampler, n: number, seed = 1): [number, number][] {
  const study = createStudy({ space: unitSquare, sampler, seed });
  return Array.from({ length: n }, () => {
    const t = study.ask();
    study.tell(t, 0);
    return [t.params.x as number, t.params.y as number];
  });
}

/** Largest gap between a cell count and its expectation over a k×k grid: smaller means more even coverage. */
function worstCellError(pts: [number, number][], k: number): number {
  const counts = new Array(k * k).fill(0);
  for (const [x, y] of pts) counts[Math.floor(x * k) * k + Math.floor(y * k)] += 1;
  return Math.max(...counts.map((c) => Math.abs(c - pts.length / (k * k))));
}

describe("quasi-random sampler (scrambled Halton)", () => {
  it("stratifies: the first 2^k points of dimension 1 fall one per interval of width 2^-k", () => {
    const halton = new ScrambledHalton(7);
    const firsts = Array.from({ length: 64 }, (_, i) => Math.floor(halton.point(i, 0) * 64)).sort((a, b) => a - b);
    expect(firsts).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });

  it("covers the unit square more evenly than random search", () => {
    const qmc = worstCellError(points(createQuasiRandomSampler(), 256), 4);
    const random = worstCellError(points(createRandomSampler(), 256), 4);
    expect(qmc).toBeLessThanOrEqual(3);
    expect(qmc).toBeLessThan(random);
  });

  it("is scrambled by the seed and resumable by trial number", () => {
    const a = points(createQuasiRandomSampler(), 10, 1);
    expect(points(createQuasiRandomSampler(), 10, 2)).not.toEqual(a);
    const first = createStudy({ space: unitSquare, sampler: createQuasiRandomSampler(), seed: 1 });
    for (let i = 0; i < 4; i++) first.tell(first.ask(), 0);
    const resumed = Study.fromTrials(first.trials(), { space: unitSquare, sampler: createQuasiRandomSampler(), seed: 1 });
    const next = resumed.ask().params;
    expect([next.x, next.y]).toEqual(a[4]);
  });

  it("maps coordinates through log, integer and categorical specs", () => {
    const space = parseSearchSpace({
      lr: { distribution: "log_uniform_values", min: 1e-4, max: 1 },
      units: { min: 1, max: 4 },
      act: { values: ["relu", "tanh"] },
    });
    const study = createStudy({ space, sampler: createQuasiRandomSampler(), seed: 3 });
    const trials = Array.from({ length: 16 }, () => study.ask().params);
    const decades = trials.map((p) => Math.floor(-Math.log10(p.lr as number))).sort();
    expect(new Set(decades).size).toBe(4); // 16 log-spread points reach all four decades
    expect(new Set(trials.map((p) => p.units))).toEqual(new Set([1, 2, 3, 4]));
    expect(trials.filter((p) => p.act === "relu")).toHaveLength(8);
  });
});
