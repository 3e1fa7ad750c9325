import { describe, expect, it } from "vitest";
import { appendCurvePoint, beatsPlotted, mergeCurves, updateCurveState } from "../../app/lib/curve-merge";
import { curveChartData, curveColors, curvesCaption } from "../../app/lib/curve-view";
import { curves, epoch, trialSummary } from "./fixtures";

describe("curve merging", () => {
  const base = curves([{ number: 0, points: [[1, 0.5], [3, 0.6]] }]);

  it("appends, replaces and inserts a plotted trial's points; leaves other trials alone", () => {
    expect(appendCurvePoint(base, "trial-0", epoch(4, 0.7)).series[0].points).toEqual([[1, 0.5], [3, 0.6], [4, 0.7]]);
    expect(appendCurvePoint(base, "trial-0", epoch(3, 0.65)).series[0].points).toEqual([[1, 0.5], [3, 0.65]]);
    expect(appendCurvePoint(base, "trial-0", epoch(2, 0.55)).series[0].points).toEqual([[1, 0.5], [2, 0.55], [3, 0.6]]);
    expect(appendCurvePoint(base, "trial-9", epoch(2, 0.55))).toBe(base);
  });

  it("keeps points that arrived after the server read a reload, and a finished state", () => {
    const live = updateCurveState(appendCurvePoint(base, "trial-0", epoch(4, 0.7)), { id: "trial-0", state: "complete" });
    const reloaded = mergeCurves(live, curves([{ number: 0, points: [[1, 0.5], [3, 0.6]], state: "running" }]));
    expect(reloaded.series[0].points.at(-1)).toEqual([4, 0.7]);
    expect(reloaded.series[0].state).toBe("complete");
  });

  it("says when a trial not plotted beats the top-N lines", () => {
    const full = curves([{ number: 0, points: [[1, 0.5]] }, { number: 1, points: [[1, 0.8]] }], { top: 2 });
    expect(beatsPlotted(full, trialSummary(5, { state: "running", value: 0.6 }))).toBe(true);
    expect(beatsPlotted(full, trialSummary(5, { state: "running", value: 0.4 }))).toBe(false);
    expect(beatsPlotted(full, trialSummary(5, { state: "pruned", value: 0.9 }))).toBe(false);
    expect(beatsPlotted(full, trialSummary(0, { state: "running", value: 0.9 }))).toBe(false);
    expect(beatsPlotted({ ...full, goal: "minimize" }, trialSummary(5, { state: "complete", value: 0.6 }))).toBe(true);
    expect(beatsPlotted({ ...full, top: 3 }, trialSummary(5, { state: "complete", value: 0.1 }))).toBe(true);
  });
});

describe("curve chart data", () => {
  it("puts the band and each line's points on one row per epoch, and describes what is shown", () => {
    const data = curves([{ number: 3, points: [[1, 0.6], [2, 0.7]] }, { number: 8, points: [[2, 0.5]] }, { number: 9, points: [] }], {
      envelope: [{ epoch: 1, trials: 10, min: 0.1, p25: 0.3, median: 0.4, p75: 0.5, max: 0.6 }],
    });
    const chart = curveChartData(data, ["trial-8"]);
    expect(chart.rows).toEqual([
      { epoch: 1, range: [0.1, 0.6], iqr: [0.3, 0.5], median: 0.4, t3: 0.6 },
      { epoch: 2, t3: 0.7, t8: 0.5 },
    ]);
    expect(chart.series.map((s) => [s.number, s.selected, s.last])).toEqual([
      [3, false, 0.7],
      [8, true, 0.5],
    ]);
    expect(curveColors(data)).toEqual(new Map(chart.series.map((s) => [s.trialId, s.color])));
    expect(curvesCaption(data, chart.series, 10000)).toMatch(/^top 1 of 10,000 trials by val_accuracy; 1 selected; band: all trials/);
  });
});
