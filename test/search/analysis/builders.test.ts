import { describe, expect, it } from "vitest";
import { learningCurves, optimizationHistory, parallelCoordinates, sliceData } from "../../../search/analysis/index";
import type { ParameterSpec } from "../../../search/parameters";
import type { FrozenTrial } from "../../../search/types";

const space: Record<string, ParameterSpec> = {
  lr: { kind: "float", min: 1e-4, max: 1e-1, log: true },
  layers: { kind: "int", min: 1, max: 4, log: false },
  optimizer: { kind: "categorical", values: ["adam", "sgd"] },
  momentum: { kind: "float", min: 0, max: 1, log: false },
};

const trials: FrozenTrial[] = [
  { number: 0, state: "complete", params: { lr: 0.01, layers: 2, optimizer: "adam" }, value: 0.8, intermediate: { 1: 0.5, 2: 0.8 }, systemAttrs: {} },
  { number: 1, state: "pruned", params: { lr: 0.1, layers: 1, optimizer: "sgd", momentum: 0.9 }, value: null, intermediate: { 1: 0.2 }, systemAttrs: {} },
  { number: 2, state: "complete", params: { lr: 0.001, layers: 4, optimizer: "sgd", momentum: 0.5 }, value: 0.7, intermediate: { 2: 0.7, 1: NaN }, systemAttrs: {} },
  { number: 3, state: "complete", params: { lr: 0.003, layers: 3, optimizer: "adam" }, value: 0.9, intermediate: {}, systemAttrs: {} },
  { number: 4, state: "running", params: { lr: 0.02, layers: 3, optimizer: "adam" }, value: null, intermediate: { 1: 0.6 }, systemAttrs: {} },
];

describe("analysis builders", () => {
  it("optimisation history: value per complete trial and best so far", () => {
    const h = optimizationHistory(trials, "maximize");
    expect(h.points.map((p) => [p.number, p.value, p.bestSoFar, p.isBest])).toEqual([
      [0, 0.8, 0.8, true],
      [2, 0.7, 0.8, false],
      [3, 0.9, 0.9, true],
    ]);
    expect(h.bestTrial).toBe(3);
    expect(optimizationHistory(trials, "minimize").bestTrial).toBe(2);
  });

  it("parallel coordinates: typed axes and one line per complete trial, null where inactive", () => {
    const pc = parallelCoordinates(trials, space, "maximize", "val_accuracy");
    expect(pc.axes[0]).toEqual({ name: "lr", type: "numeric", scale: "log", integer: false, range: [1e-4, 1e-1] });
    expect(pc.axes[2]).toEqual({ name: "optimizer", type: "categorical", categories: ["adam", "sgd"] });
    expect(pc.lines).toHaveLength(3);
    expect(pc.lines[0]).toEqual({ number: 0, coordinates: [0.01, 2, 0, null], value: 0.8 });
    expect(pc.objective).toEqual({ name: "val_accuracy", direction: "maximize", range: [0.7, 0.9] });
    expect(JSON.parse(JSON.stringify(pc))).toEqual(pc);
  });

  it("slice data: per parameter, value against objective where active", () => {
    const slices = sliceData(trials, space);
    expect(slices.map((s) => s.points.length)).toEqual([3, 3, 3, 1]);
    expect(slices[3].points).toEqual([{ number: 2, x: 0.5, value: 0.7 }]);
  });

  it("learning curves: every trial with sorted steps, NaN as null", () => {
    const curves = learningCurves(trials);
    expect(curves[2]).toEqual({ number: 2, state: "complete", steps: [1, 2], values: [null, 0.7], lastStep: 2 });
    expect(curves[1]).toMatchObject({ state: "pruned", lastStep: 1 });
    expect(curves[3].lastStep).toBeNull();
  });

  it("is cheap for 10k trials", () => {
    const many: FrozenTrial[] = Array.from({ length: 10_000 }, (_, i) => ({ ...trials[0], number: i, value: Math.sin(i) }));
    const start = performance.now();
    parallelCoordinates(many, space, "maximize");
    sliceData(many, space);
    optimizationHistory(many, "maximize");
    learningCurves(many);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
