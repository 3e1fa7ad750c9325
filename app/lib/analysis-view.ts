// Pure transforms behind the sweep page's Analysis section (GET /api/sweeps/:id/analysis): parallel-coordinate
// polylines, optimisation-history and slice-plot geometry, and the importance view; the scales and colours they
// use live in plot-scales.ts (re-exported here). No React here, so everything is unit-tested in test/app.
import type { ParamAxis } from "../../search/analysis/axes";
import type { SweepAnalysis } from "../../server/sweeps/sweep-analysis";
import { ALL_TRIAL_STATES, countOf, isFinishedState, type TrialCounts } from "./trial-states";
import { clamp01, linearScale, paramScale, axisCaption, formatTickValue, paddedRange, VALUE_GRADIENT, ORDER_GRADIENT, BEST_COLOR, mixColor, goodness, type Goal } from "./plot-scales";
export * from "./plot-scales";

export type { SweepAnalysis };

// ---------------------------------------------------------------------------------------------------------------
// Plot boxes shared by the SVG charts.

export interface Box {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface PixelTick {
  at: number;
  label: string;
}

const innerWidth = (box: Box) => box.width - box.left - box.right;
const innerHeight = (box: Box) => box.height - box.top - box.bottom;
/** Unit position to pixels: x grows right, y grows up (SVG's y grows down). */
const px = (box: Box, u: number) => box.left + u * innerWidth(box);
const py = (box: Box, u: number) => box.top + (1 - u) * innerHeight(box);
const round1 = (v: number) => Math.round(v * 10) / 10;

// ---------------------------------------------------------------------------------------------------------------
// Parallel coordinates.

export type ParallelCoordinatesData = SweepAnalysis["parallelCoordinates"];

export interface PcAxis {
  key: string;
  title: string;
  caption: string;
  x: number;
  ticks: PixelTick[];
  objective: boolean;
}

export interface PcLine {
  number: number;
  value: number;
  color: string;
  isBest: boolean;
  /** Runs of consecutive axes where the trial has a coordinate, as SVG `points` strings; a null coordinate
   *  (an inactive conditional parameter) breaks the line, so the segments on either side of it are skipped. */
  polylines: string[];
  /** Coordinates with no neighbour to join (both sides inactive), drawn as dots. */
  dots: [number, number][];
}

export interface PcGeometry {
  box: Box;
  axes: PcAxis[];
  /** Drawn in this order: worst first, the best last (on top). */
  lines: PcLine[];
  bestTrial: number | null;
}

export const PC_BOX: Box = { width: 960, height: 380, top: 44, right: 72, bottom: 30, left: 64 };

/** Axis x positions, ticks, and one coloured line per complete trial; the best trial (per the goal) highlighted. */
export function parallelCoordinatesGeometry(data: ParallelCoordinatesData, goal: Goal, box: Box = PC_BOX): PcGeometry {
  const paramScales = data.axes.map((axis) => paramScale(axis, "points"));
  const range = data.objective.range;
  const objectiveScale = range ? linearScale(range[0], range[1]) : linearScale(0, 1);
  const count = data.axes.length + 1;
  const xAt = (i: number) => round1(count > 1 ? px(box, i / (count - 1)) : px(box, 0.5));
  const axes: PcAxis[] = [
    ...data.axes.map((axis, i) => ({
      key: `param:${axis.name}`,
      title: axis.name,
      caption: axisCaption(axis),
      x: xAt(i),
      ticks: paramScales[i].ticks.map((t) => ({ at: round1(py(box, t.at)), label: t.label })),
      objective: false,
    })),
    {
      key: "objective",
      title: data.objective.name,
      caption: data.objective.direction === "maximize" ? "higher is better" : "lower is better",
      x: xAt(count - 1),
      ticks: range ? objectiveScale.ticks.map((t) => ({ at: round1(py(box, t.at)), label: t.label })) : [],
      objective: true,
    },
  ];

  const bestTrial = bestLine(data.lines, goal);
  const lines = data.lines.map((line): PcLine => {
    const units = [...line.coordinates.map((c, i) => (c === null ? null : paramScales[i].unit(c))), objectiveScale.unit(line.value)];
    const runs: [number, number][][] = [];
    let run: [number, number][] = [];
    units.forEach((u, i) => {
      if (u === null) {
        if (run.length) runs.push(run);
        run = [];
      } else run.push([xAt(i), round1(py(box, u))]);
    });
    if (run.length) runs.push(run);
    return {
      number: line.number,
      value: line.value,
      color: line.number === bestTrial ? BEST_COLOR : mixColor(VALUE_GRADIENT, goodness(line.value, range, goal)),
      isBest: line.number === bestTrial,
      polylines: runs.filter((r) => r.length > 1).map((r) => r.map(([x, y]) => `${x},${y}`).join(" ")),
      dots: runs.filter((r) => r.length === 1).map((r) => r[0]),
    };
  });
  const rank = (l: PcLine) => (l.isBest ? 2 : goodness(l.value, range, goal));
  lines.sort((a, b) => rank(a) - rank(b) || a.number - b.number);
  return { box, axes, lines, bestTrial };
}

/** The best complete trial's number (ties: the earliest), or null without lines. */
export function bestLine(lines: readonly { number: number; value: number }[], goal: Goal): number | null {
  let best: { number: number; value: number } | null = null;
  for (const line of lines) {
    const better = best === null || (goal === "maximize" ? line.value > best.value : line.value < best.value);
    if (better || (best && line.value === best.value && line.number < best.number)) best = line;
  }
  return best?.number ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Optimisation history.

export type HistoryData = SweepAnalysis["history"];

export interface HistoryGeometry {
  box: Box;
  xTicks: PixelTick[];
  yTicks: PixelTick[];
  points: { number: number; value: number; bestSoFar: number; cx: number; cy: number; isBest: boolean; newBest: boolean }[];
  /** The best-so-far step line as an SVG path ("" without points). */
  bestPath: string;
}

export const HISTORY_BOX: Box = { width: 640, height: 280, top: 12, right: 16, bottom: 38, left: 56 };

export function historyGeometry(history: HistoryData, box: Box = HISTORY_BOX): HistoryGeometry {
  const { points } = history;
  if (!points.length) return { box, xTicks: [], yTicks: [], points: [], bestPath: "" };
  const numbers = points.map((p) => p.number);
  const [first, last] = [Math.min(...numbers), Math.max(...numbers)];
  const xScale = linearScale(first - 0.5, last + 0.5, { integer: true, count: 8 });
  const yRange = paddedRange(points.flatMap((p) => [p.value, p.bestSoFar])) as [number, number];
  const yScale = linearScale(yRange[0], yRange[1]);
  const x = (n: number) => round1(px(box, xScale.unit(n)));
  const y = (v: number) => round1(py(box, yScale.unit(v)));
  const placed = points.map((p) => ({
    number: p.number,
    value: p.value,
    bestSoFar: p.bestSoFar,
    cx: x(p.number),
    cy: y(p.value),
    isBest: p.number === history.bestTrial,
    newBest: p.isBest,
  }));
  // Step after: the best so far holds until the trial that beats it, then jumps; it runs on to the plot's edge.
  let bestPath = `M ${placed[0].cx} ${y(placed[0].bestSoFar)}`;
  for (const p of placed.slice(1)) bestPath += ` H ${p.cx} V ${y(p.bestSoFar)}`;
  bestPath += ` H ${round1(box.width - box.right)}`;
  return {
    box,
    xTicks: xScale.ticks.map((t) => ({ at: round1(px(box, t.at)), label: t.label })),
    yTicks: yScale.ticks.map((t) => ({ at: round1(py(box, t.at)), label: t.label })),
    points: placed,
    bestPath,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Slice plots.

export type SlicePanelData = SweepAnalysis["slices"][number];

export interface SliceGeometry {
  box: Box;
  xTicks: PixelTick[];
  yTicks: PixelTick[];
  points: { number: number; value: number; label: string; cx: number; cy: number; color: string; isBest: boolean }[];
}

export const SLICE_BOX: Box = { width: 320, height: 220, top: 10, right: 12, bottom: 34, left: 50 };

/** Spreads a categorical slice's dots across their band, deterministically per trial, so equal values stay apart. */
export function jitter(number: number): number {
  const h = Math.sin(number * 12.9898 + 78.233) * 43758.5453;
  return (h - Math.floor(h) - 0.5) * 0.5;
}

/** One parameter's slice: x the parameter on its own scale, y the objective over `yRange` (shared by all panels,
 *  so they compare); dots coloured by trial order over `numbers` ([first, last] trial number). */
export function sliceGeometry(
  panel: SlicePanelData,
  yRange: [number, number] | null,
  numbers: [number, number] | null,
  bestTrial: number | null,
  box: Box = SLICE_BOX,
): SliceGeometry {
  const { axis } = panel;
  const xScale = paramScale(axis, "bands");
  const range = yRange ?? paddedRange(panel.points.map((p) => p.value)) ?? [0, 1];
  const yScale = linearScale(range[0], range[1], { count: 4 });
  const bandWidth = axis.type === "categorical" && axis.categories.length ? 1 / axis.categories.length : 0;
  const order = (n: number) => (numbers && numbers[1] > numbers[0] ? (n - numbers[0]) / (numbers[1] - numbers[0]) : 1);
  const points = panel.points.map((p) => ({
    number: p.number,
    value: p.value,
    label: axis.type === "categorical" ? String(axis.categories[p.x]) : formatTickValue(p.x),
    cx: round1(px(box, clamp01(xScale.unit(p.x) + jitter(p.number) * bandWidth))),
    cy: round1(py(box, yScale.unit(p.value))),
    color: p.number === bestTrial ? BEST_COLOR : mixColor(ORDER_GRADIENT, order(p.number)),
    isBest: p.number === bestTrial,
  }));
  points.sort((a, b) => Number(a.isBest) - Number(b.isBest) || a.number - b.number);
  return {
    box,
    xTicks: xScale.ticks.map((t) => ({ at: round1(px(box, t.at)), label: t.label })),
    yTicks: yScale.ticks.map((t) => ({ at: round1(py(box, t.at)), label: t.label })),
    points,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Importance, trial counts, refresh trigger.

/** PED-ANOVA needs a few complete trials (the server returns all zeros below this). */
export const MIN_IMPORTANCE_TRIALS = 4;

export interface ImportanceView {
  completeTrials: number;
  /** "few-trials" below MIN_IMPORTANCE_TRIALS; "flat" when no parameter separates the best trials from the rest. */
  status: "ready" | "few-trials" | "flat";
  bars: { param: string; importance: number; divergence: number }[];
}

export function importanceView(analysis: Pick<SweepAnalysis, "importance" | "history">): ImportanceView {
  const completeTrials = analysis.history.points.length;
  const bars = [...analysis.importance].sort((a, b) => b.importance - a.importance || a.param.localeCompare(b.param));
  const status = completeTrials < MIN_IMPORTANCE_TRIALS ? "few-trials" : bars.some((b) => b.importance > 0) ? "ready" : "flat";
  return { completeTrials, status, bars };
}

export const formatShare = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)} %`;

/** Changes exactly when a trial reaches a final state (complete, pruned, failed, …): the analysis refetch trigger.
 *  From the sweep summary's counts, which sweep:updated keeps current: finished states are final, so a count only
 *  grows, and only when a trial finishes. */
export function finishedTrialsKey(counts: TrialCounts): string {
  return ALL_TRIAL_STATES.filter(isFinishedState)
    .map((state) => `${state}:${countOf(counts, state)}`)
    .join(",");
}

/** Puts the parameter axes and slice panels in the leaderboard's column order (the API's follows the stored
 *  document, whose keys jsonb reorders); parameters missing from `order` go last, by name. */
export function orderAnalysis(analysis: SweepAnalysis, order: readonly string[]): SweepAnalysis {
  const position = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const byName = (a: string, b: string) => position(a) - position(b) || a.localeCompare(b);
  const pc = analysis.parallelCoordinates;
  const indices = pc.axes.map((_, i) => i).sort((a, b) => byName(pc.axes[a].name, pc.axes[b].name));
  return {
    ...analysis,
    parallelCoordinates: {
      ...pc,
      axes: indices.map((i) => pc.axes[i]),
      lines: pc.lines.map((line) => ({ ...line, coordinates: indices.map((i) => line.coordinates[i]) })),
    },
    slices: [...analysis.slices].sort((a, b) => byName(a.axis.name, b.axis.name)),
  };
}
