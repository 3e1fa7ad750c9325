import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ParallelCoordinatesPlot } from "../../app/components/analysis/parallel-coordinates";
import {
  BEST_COLOR,
  categoricalScale,
  finishedTrialsKey,
  formatTickValue,
  goodness,
  historyGeometry,
  importanceView,
  linearScale,
  logScale,
  mixColor,
  niceTicks,
  orderAnalysis,
  paddedRange,
  parallelCoordinatesGeometry,
  paramScale,
  sliceGeometry,
  VALUE_GRADIENT,
  type Box,
  type ParallelCoordinatesData,
  type SweepAnalysis,
} from "../../app/lib/analysis-view";
import { trialCounts } from "./fixtures";

const labels = (scale: { ticks: { label: string }[] }) => scale.ticks.map((t) => t.label);

describe("scales", () => {
  it("puts nice ticks inside the range, integers only on integer axes", () => {
    expect(niceTicks(0.07, 0.61)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(niceTicks(16, 64, 5, true)).toEqual([20, 30, 40, 50, 60]);
    expect(niceTicks(0, 3, 8, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });

  it("maps a linear range onto [0, 1] with labels at the step's precision", () => {
    const scale = linearScale(0, 0.5);
    expect(scale.unit(0.25)).toBe(0.5);
    expect(scale.unit(2)).toBe(1);
    expect(labels(scale)).toEqual(["0.0", "0.1", "0.2", "0.3", "0.4", "0.5"]);
    expect(linearScale(3, 3).unit(3)).toBe(0.5);
  });

  it("labels log axes at decades, with 1-2-5 steps over short ranges, in one notation per axis", () => {
    const short = logScale(0.0003, 0.03);
    expect(labels(short)).toEqual(["5e-4", "1e-3", "2e-3", "5e-3", "1e-2", "2e-2"]);
    expect(short.unit(0.003)).toBeCloseTo(0.5, 12);
    expect(short.kind).toBe("log");
    expect(labels(logScale(1e-5, 1e-1))).toEqual(["1e-5", "1e-4", "1e-3", "1e-2", "1e-1"]);
    expect(labels(logScale(0.1, 100))).toEqual(["0.1", "1", "10", "100"]);
    expect(labels(logScale(16, 256, { integer: true }))).toEqual(["20", "50", "100", "200"]);
  });

  it("spaces categories as points (axes) or bands (scatter x)", () => {
    expect(categoricalScale(["adam", "sgd", "rmsprop"]).ticks).toEqual([
      { at: 0, label: "adam" },
      { at: 0.5, label: "sgd" },
      { at: 1, label: "rmsprop" },
    ]);
    expect(categoricalScale([8, 16], "bands").ticks.map((t) => t.at)).toEqual([0.25, 0.75]);
    expect(categoricalScale(["only"]).unit(0)).toBe(0.5);
  });

  it("picks the scale from the parameter axis", () => {
    expect(paramScale({ name: "lr", type: "numeric", scale: "log", integer: false, range: [1e-4, 1e-2] }).kind).toBe("log");
    expect(labels(paramScale({ name: "units", type: "numeric", scale: "linear", integer: true, range: [16, 64] }))).toEqual(["20", "30", "40", "50", "60"]);
    expect(labels(paramScale({ name: "opt", type: "categorical", categories: [true, false] }))).toEqual(["true", "false"]);
  });

  it("formats ticks compactly and pads ranges", () => {
    expect([0, 3e-4, 0.0025, 0.05, 128, 1.5e6].map(formatTickValue)).toEqual(["0", "3e-4", "2.5e-3", "0.05", "128", "1.5e6"]);
    expect(paddedRange([0.2, 0.6])).toEqual([0.18, 0.62]);
    expect(paddedRange([0.5])).toEqual([0.475, 0.525]);
    expect(paddedRange([])).toBeNull();
  });

  it("colours by goodness per the goal", () => {
    expect(goodness(0.9, [0.1, 0.9], "maximize")).toBe(1);
    expect(goodness(0.9, [0.1, 0.9], "minimize")).toBe(0);
    expect(goodness(0.5, null, "minimize")).toBe(1);
    expect(mixColor(VALUE_GRADIENT, 0)).toBe("rgb(191, 219, 254)");
    expect(mixColor(VALUE_GRADIENT, 1)).toBe("rgb(30, 64, 175)");
  });
});

const BOX: Box = { width: 400, height: 120, top: 10, right: 0, bottom: 10, left: 0 };

/** Axes: log lr, categorical optimizer, int units (conditional: null when inactive); objective last. */
function pcData(lines: ParallelCoordinatesData["lines"]): ParallelCoordinatesData {
  const values = lines.map((l) => l.value);
  return {
    axes: [
      { name: "learning_rate", type: "numeric", scale: "log", integer: false, range: [1e-4, 1e-2] },
      { name: "optimizer", type: "categorical", categories: ["adam", "sgd"] },
      { name: "units", type: "numeric", scale: "linear", integer: true, range: [0, 100] },
    ],
    objective: { name: "val_accuracy", direction: "maximize", range: values.length ? [Math.min(...values), Math.max(...values)] : null },
    lines,
  };
}

describe("parallelCoordinatesGeometry", () => {
  const data = pcData([
    { number: 0, coordinates: [1e-3, 0, 50], value: 0.5 },
    { number: 1, coordinates: [1e-4, 1, null], value: 0.9 },
    { number: 2, coordinates: [null, 1, null], value: 0.1 },
  ]);
  const geometry = parallelCoordinatesGeometry(data, "maximize", BOX);

  it("spaces one axis per parameter plus the objective, with their ticks", () => {
    expect(geometry.axes.map((a) => [a.title, a.x, a.caption])).toEqual([
      ["learning_rate", 0, "log"],
      ["optimizer", 133.3, "categorical"],
      ["units", 266.7, "int"],
      ["val_accuracy", 400, "higher is better"],
    ]);
    expect(geometry.axes[0].ticks.map((t) => [t.label, t.at])).toEqual([
      ["1e-4", 110],
      ["1e-3", 60],
      ["1e-2", 10],
    ]);
    expect(geometry.axes[1].ticks.map((t) => [t.label, t.at])).toEqual([
      ["adam", 110],
      ["sgd", 10],
    ]);
  });

  it("draws a polyline through every axis, on log and categorical scales", () => {
    const line = geometry.lines.find((l) => l.number === 0)!;
    // lr 1e-3 is mid-decade on the log axis (y 60), adam the bottom category, units 50 half way, 0.5 mid-objective.
    expect(line.polylines).toEqual(["0,60 133.3,110 266.7,60 400,60"]);
    expect(line.dots).toEqual([]);
  });

  it("skips the segments next to a null coordinate (an inactive parameter)", () => {
    const best = geometry.lines.find((l) => l.number === 1)!;
    expect(best.polylines).toEqual(["0,110 133.3,10"]);
    expect(best.dots).toEqual([[400, 10]]);
    const sparse = geometry.lines.find((l) => l.number === 2)!;
    expect(sparse.polylines).toEqual([]);
    expect(sparse.dots).toEqual([
      [133.3, 10],
      [400, 110],
    ]);
  });

  it("colours by value, highlights the best trial and draws it last", () => {
    expect(geometry.bestTrial).toBe(1);
    expect(geometry.lines.map((l) => l.number)).toEqual([2, 0, 1]);
    expect(geometry.lines.map((l) => l.color)).toEqual([mixColor(VALUE_GRADIENT, 0), mixColor(VALUE_GRADIENT, 0.5), BEST_COLOR]);
    expect(geometry.lines.map((l) => l.isBest)).toEqual([false, false, true]);
  });

  it("follows the goal: when minimising, the lowest value is best", () => {
    const minimised = parallelCoordinatesGeometry({ ...data, objective: { ...data.objective, direction: "minimize" } }, "minimize", BOX);
    expect(minimised.bestTrial).toBe(2);
    expect(minimised.axes[3].caption).toBe("lower is better");
    expect(minimised.lines.map((l) => l.number)).toEqual([1, 0, 2]);
  });

  it("has no lines and no objective ticks without complete trials", () => {
    const empty = parallelCoordinatesGeometry(pcData([]), "maximize", BOX);
    expect(empty.lines).toEqual([]);
    expect(empty.axes[3].ticks).toEqual([]);
    expect(empty.bestTrial).toBeNull();
  });

  it("renders from props: one group per trial with its number, a polyline per drawn run", () => {
    const html = renderToStaticMarkup(createElement(ParallelCoordinatesPlot, { data, goal: "maximize" }));
    expect(html).toContain('data-testid="parallel-coordinates"');
    for (const n of [0, 1, 2]) expect(html).toContain(`data-testid="pc-line-${n}"`);
    expect(html).toContain("Trial #1: val_accuracy 0.900");
    expect(html.match(/data-best="true"/g)).toHaveLength(1);
    // Visible + hover-target polyline per run: trial 0 has one run, trial 1 one, trial 2 none.
    expect(html.match(/<polyline/g)).toHaveLength(4);
    expect(html).toContain(">1e-3<");
    expect(html).toContain(">adam<");
  });
});

describe("historyGeometry", () => {
  const history: SweepAnalysis["history"] = {
    direction: "maximize",
    bestTrial: 2,
    points: [
      { number: 0, value: 0.2, bestSoFar: 0.2, isBest: true },
      { number: 1, value: 0.1, bestSoFar: 0.2, isBest: false },
      { number: 2, value: 0.6, bestSoFar: 0.6, isBest: true },
    ],
  };
  const box: Box = { width: 300, height: 110, top: 0, right: 0, bottom: 10, left: 0 };

  it("places a dot per trial and a best-so-far step line to the plot's edge", () => {
    const g = historyGeometry(history, box);
    expect(g.points.map((p) => [p.number, p.cx, p.isBest, p.newBest])).toEqual([
      [0, 50, false, true],
      [1, 150, false, false],
      [2, 250, true, true],
    ]);
    // y over [0.075, 0.625] (5 % margin): 0.2 → 77.3, 0.6 → 4.5.
    expect(g.points[0].cy).toBeCloseTo(77.3, 1);
    expect(g.bestPath).toBe(`M 50 ${g.points[0].cy} H 150 V ${g.points[0].cy} H 250 V ${g.points[2].cy} H 300`);
    expect(g.xTicks.map((t) => t.label)).toEqual(["0", "1", "2"]);
  });

  it("is empty without complete trials", () => {
    expect(historyGeometry({ direction: "minimize", bestTrial: null, points: [] }, box)).toMatchObject({ points: [], bestPath: "" });
  });
});

describe("sliceGeometry", () => {
  const box: Box = { width: 100, height: 100, top: 0, right: 0, bottom: 0, left: 0 };

  it("jitters categorical dots inside their band and shares the y range across panels", () => {
    const panel: SweepAnalysis["slices"][number] = {
      axis: { name: "optimizer", type: "categorical", categories: ["adam", "sgd"] },
      points: [
        { number: 0, x: 0, value: 0.5 },
        { number: 1, x: 1, value: 1 },
        { number: 2, x: 1, value: 0 },
      ],
    };
    const g = sliceGeometry(panel, [0, 1], [0, 2], 1, box);
    expect(g.xTicks).toEqual([
      { at: 25, label: "adam" },
      { at: 75, label: "sgd" },
    ]);
    const adam = g.points.find((p) => p.number === 0)!;
    expect(adam.cx).toBeGreaterThanOrEqual(12.5);
    expect(adam.cx).toBeLessThanOrEqual(37.5);
    expect(adam.cy).toBe(50);
    expect(adam.label).toBe("adam");
    for (const p of g.points.filter((p) => p.label === "sgd")) expect(Math.abs(p.cx - 75)).toBeLessThanOrEqual(12.5);
    // Best drawn last, in the best colour; others by trial order.
    expect(g.points.at(-1)).toMatchObject({ number: 1, isBest: true, color: BEST_COLOR });
  });

  it("places numeric values on the parameter's own (log) scale", () => {
    const panel: SweepAnalysis["slices"][number] = {
      axis: { name: "learning_rate", type: "numeric", scale: "log", integer: false, range: [1e-4, 1e-2] },
      points: [{ number: 3, x: 1e-3, value: 0.4 }],
    };
    const g = sliceGeometry(panel, null, null, null, box);
    expect(g.points[0]).toMatchObject({ cx: 50, label: "1e-3", isBest: false });
  });
});

describe("importanceView", () => {
  const history = (n: number) => ({ direction: "maximize" as const, bestTrial: 0, points: Array.from({ length: n }, (_, i) => ({ number: i, value: i, bestSoFar: i, isBest: true })) });

  it("sorts bars by importance once enough trials completed", () => {
    const view = importanceView({
      history: history(6),
      importance: [
        { param: "units", importance: 0.2, divergence: 0.1 },
        { param: "learning_rate", importance: 0.8, divergence: 0.4 },
      ],
    });
    expect(view.status).toBe("ready");
    expect(view.completeTrials).toBe(6);
    expect(view.bars.map((b) => b.param)).toEqual(["learning_rate", "units"]);
  });

  it("is empty below four complete trials, and flat when nothing separates the best trials", () => {
    expect(importanceView({ history: history(3), importance: [{ param: "units", importance: 0, divergence: 0 }] }).status).toBe("few-trials");
    expect(importanceView({ history: history(8), importance: [{ param: "units", importance: 0, divergence: 0 }] }).status).toBe("flat");
  });
});

describe("finishedTrialsKey", () => {
  it("changes when a trial completes, is pruned, fails or is stopped, not when trials start or wait", () => {
    const key = finishedTrialsKey(trialCounts({ complete: 1, running: 1, waiting: 1 }));
    expect(finishedTrialsKey(trialCounts({ complete: 1, running: 2, waiting: 0 }))).toBe(key);
    expect(finishedTrialsKey(trialCounts({ complete: 1, pruned: 1, waiting: 1 }))).not.toBe(key);
    expect(finishedTrialsKey(trialCounts({ complete: 1, running: 1, failed: 1 }))).not.toBe(key);
    expect(finishedTrialsKey(trialCounts({ complete: 2, running: 1, waiting: 1 }))).not.toBe(key);
    expect(finishedTrialsKey(trialCounts({ complete: 1, running: 1, stopped: 1 }))).not.toBe(key);
  });
});

describe("orderAnalysis", () => {
  it("reorders axes, line coordinates and slices to the leaderboard's parameter order", () => {
    const data = pcData([{ number: 0, coordinates: [1e-3, 1, 50], value: 0.5 }]);
    const analysis: SweepAnalysis = {
      metric: { name: "val_accuracy", goal: "maximize" },
      importance: [],
      history: { direction: "maximize", points: [], bestTrial: null },
      parallelCoordinates: data,
      slices: data.axes.map((axis) => ({ axis, points: [] })),
      drawn: { drawn: 1, of: 1, sampled: false, best: 1 },
    };
    const ordered = orderAnalysis(analysis, ["units", "learning_rate"]);
    expect(ordered.parallelCoordinates.axes.map((a) => a.name)).toEqual(["units", "learning_rate", "optimizer"]);
    expect(ordered.parallelCoordinates.lines[0].coordinates).toEqual([50, 1e-3, 1]);
    expect(ordered.slices.map((s) => s.axis.name)).toEqual(["units", "learning_rate", "optimizer"]);
  });
});
