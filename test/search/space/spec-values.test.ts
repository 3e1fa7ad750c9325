import { describe, expect, it } from "vitest";
import type { ParameterSpec } from "../../../search/parameters";
import { createSampler, SAMPLER_NAMES } from "../../../search/samplers";
import { specCardinality, specContains, specValues, valueFromUnit } from "../../../search/space";

const units = Array.from({ length: 1000 }, (_, i) => i / 1000);

describe("parameter spec values", () => {
  it.each<[string, ParameterSpec, number]>([
    ["stepped int", { kind: "int", min: 32, max: 256, log: false, q: 32 }, 8],
    ["log int", { kind: "int", min: 1, max: 1000, log: true }, 1000],
    ["stepped float", { kind: "float", min: 0, max: 0.5, log: false, q: 0.1 }, 6],
    ["categorical", { kind: "categorical", values: ["a", 1, true] }, 3],
  ])("maps every unit into the spec and lists the spec's values (%s)", (_, spec, count) => {
    for (const u of units) expect(specContains(spec, valueFromUnit(spec, u))).toBe(true);
    expect(specCardinality(spec)).toBe(count);
    expect(specValues(spec)!.every((v) => specContains(spec, v))).toBe(true);
  });

  it("spreads log ranges over decades and reaches both ends of stepped ranges", () => {
    const logInt: ParameterSpec = { kind: "int", min: 1, max: 1000, log: true };
    const below10 = units.filter((u) => (valueFromUnit(logInt, u) as number) < 10).length / units.length;
    expect(below10).toBeGreaterThan(0.36); // ln(9.5 / 0.5) / ln(1000.5 / 0.5) = 0.387
    expect(below10).toBeLessThan(0.41);
    const stepped: ParameterSpec = { kind: "int", min: 32, max: 250, log: false, q: 32 };
    expect(new Set(units.map((u) => valueFromUnit(stepped, u)))).toEqual(new Set([32, 64, 96, 128, 160, 192, 224]));
  });

  it("gives evenly spaced grid points for continuous ranges only when asked", () => {
    const lr: ParameterSpec = { kind: "float", min: 1e-4, max: 1e-1, log: true };
    expect(specValues(lr)).toBeNull();
    expect(specValues(lr, 4)!.map((v) => Math.round(Math.log10(v as number)))).toEqual([-4, -3, -2, -1]);
    expect(specContains(lr, 2)).toBe(false);
    expect(specContains({ kind: "int", min: 0, max: 10, log: false }, 2.5)).toBe(false);
    expect(specContains({ kind: "categorical", values: [1, 2] }, "1")).toBe(false);
  });
});

describe("sampler registry", () => {
  it("creates every named sampler and refuses unknown names", () => {
    expect(SAMPLER_NAMES).toEqual(["random", "grid", "quasi-random", "tpe", "gp"]);
    for (const name of SAMPLER_NAMES) expect(typeof createSampler(name).sampleIndependent).toBe("function");
    expect(createSampler("grid", { gridPoints: 3 }).name).toBe("grid");
    expect(() => createSampler("cma-es")).toThrowError(expect.objectContaining({ code: "unknown_sampler" }));
  });
});
