import { describe, expect, it } from "vitest";
import { parameterInputSchema, toParameterSpec, type ParameterSpec } from "../../search/parameters";
import { RandomSampler } from "../../search/samplers/random-sampler";
import type { Params } from "../../search/parameters";

/** Trial `number`'s parameters from the random sampler under `seed` (no study needed: it keeps no state). */
function sampleRandom(specs: Record<string, ParameterSpec>, seed: number, number: number): Params {
  const sampler = new RandomSampler();
  const study = { direction: "minimize" as const, seed, trials: () => [] };
  const trial = { number, state: "running" as const, params: {}, value: null, intermediate: {}, systemAttrs: {} };
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, sampler.sampleIndependent(study, trial, name, spec)]));
}

const space: Record<string, ParameterSpec> = {
  learning_rate: { kind: "float", min: 1e-4, max: 1e-2, log: true },
  units: { kind: "int", min: 32, max: 256, log: false },
  dropout: { kind: "float", min: 0, max: 0.5, log: false, q: 0.1 },
  optimizer: { kind: "categorical", values: ["adam", "sgd", "rmsprop"] },
  epochs: { kind: "constant", value: 3 },
};

describe("random sampler", () => {
  it("is deterministic per (seed, trial number) and independent of key order", () => {
    const reversed = Object.fromEntries(Object.entries(space).reverse());
    expect(sampleRandom(space, 7, 3)).toEqual(sampleRandom(reversed, 7, 3));
    expect(sampleRandom(space, 7, 3)).not.toEqual(sampleRandom(space, 7, 4));
    expect(sampleRandom(space, 7, 3)).not.toEqual(sampleRandom(space, 8, 3));
  });

  it("keeps every value inside its spec", () => {
    for (let n = 0; n < 500; n++) {
      const p = sampleRandom(space, 1, n);
      expect(p.learning_rate).toBeGreaterThanOrEqual(1e-4);
      expect(p.learning_rate).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(p.units)).toBe(true);
      expect(p.units).toBeGreaterThanOrEqual(32);
      expect(p.units).toBeLessThanOrEqual(256);
      expect(Math.abs((p.dropout as number) * 10 - Math.round((p.dropout as number) * 10))).toBeLessThan(1e-9);
      expect(["adam", "sgd", "rmsprop"]).toContain(p.optimizer);
      expect(p.epochs).toBe(3);
    }
  });

  it("spreads a log-uniform range evenly over its decades and reaches every category and both int ends", () => {
    const draws = Array.from({ length: 2000 }, (_, n) => sampleRandom(space, 11, n));
    const lowDecade = draws.filter((p) => (p.learning_rate as number) < 1e-3).length / draws.length;
    expect(lowDecade).toBeGreaterThan(0.45);
    expect(lowDecade).toBeLessThan(0.55);
    expect(new Set(draws.map((p) => p.optimizer)).size).toBe(3);
    const units = draws.map((p) => p.units as number);
    expect(Math.min(...units)).toBe(32);
    expect(Math.max(...units)).toBe(256);
  });
});

describe("parameter syntax (W&B style)", () => {
  const parse = (input: unknown) => parameterInputSchema.safeParse(input);

  it("infers integer ranges from integer bounds and reads distributions", () => {
    expect(toParameterSpec(parse({ min: 32, max: 256 }).data!)).toEqual({ kind: "int", min: 32, max: 256, log: false });
    expect(toParameterSpec(parse({ min: 0.1, max: 1 }).data!)).toEqual({ kind: "float", min: 0.1, max: 1, log: false });
    expect(toParameterSpec(parse({ distribution: "log_uniform_values", min: 1e-4, max: 1e-2 }).data!)).toMatchObject({ kind: "float", log: true });
    expect(toParameterSpec(parse({ values: [1, 2] }).data!)).toEqual({ kind: "categorical", values: [1, 2] });
    expect(toParameterSpec(parse({ value: "adam" }).data!)).toEqual({ kind: "constant", value: "adam" });
  });

  it.each([
    [{ min: 5, max: 1 }, "must not exceed"],
    [{ min: 1 }, "max is required"],
    [{ values: [] }, "at least one"],
    [{ value: 1, values: [1] }, "exactly one"],
    [{ distribution: "log_uniform_values", min: 0, max: 1 }, "min > 0"],
    [{ min: Number.NaN, max: 1 }, ""],
    [{ min: "1", max: 2 }, ""],
    [{ distribution: "q_uniform", min: 0, max: 1 }, "needs q"],
    [{ min: 0, max: 1, typo: 1 }, ""],
  ])("rejects %j", (input, message) => {
    const result = parse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message).join("; ")).toContain(message);
  });
});
