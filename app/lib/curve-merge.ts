// Keeps the plotted learning curves live between /curves loads: an epoch of a plotted trial is appended to its
// series, and a reload keeps the points that arrived after the server read them. Pure, unit-tested.
import type { CurveSeries, EpochRecord, SweepCurves, TrialSummary } from "../../server/sweeps/types";
import { isFinishedState, isRankingState } from "./trial-states";

/** Adds (or replaces) one epoch's point on the trial's series; the same object when the trial is not plotted. */
export function appendCurvePoint(curves: SweepCurves, trialId: string, record: EpochRecord): SweepCurves {
  const index = curves.series.findIndex((s) => s.trialId === trialId);
  const value = record.metrics[curves.metric];
  if (index === -1 || !Number.isFinite(value)) return curves;
  const series = curves.series[index];
  const points = withPoint(series.points, [record.epoch, value]);
  const series2: CurveSeries = { ...series, points, epochs: Math.max(series.epochs, record.epoch) };
  return { ...curves, series: curves.series.map((s, i) => (i === index ? series2 : s)) };
}

function withPoint(points: [number, number][], point: [number, number]): [number, number][] {
  const last = points[points.length - 1];
  if (!last || last[0] < point[0]) return [...points, point];
  const at = points.findIndex((p) => p[0] >= point[0]);
  if (points[at][0] === point[0]) return points.map((p, i) => (i === at ? point : p));
  return [...points.slice(0, at), point, ...points.slice(at)];
}

/** A trial's new state on its series (a finished state is final). */
export function updateCurveState(curves: SweepCurves, trial: Pick<TrialSummary, "id" | "state">): SweepCurves {
  const index = curves.series.findIndex((s) => s.trialId === trial.id);
  if (index === -1) return curves;
  const series = curves.series[index];
  if (series.state === trial.state || isFinishedState(series.state)) return curves;
  return { ...curves, series: curves.series.map((s, i) => (i === index ? { ...s, state: trial.state } : s)) };
}

/** A freshly loaded curves answer, plus the points of the same trials that the page received after the read. */
export function mergeCurves(previous: SweepCurves | null, next: SweepCurves): SweepCurves {
  if (!previous || previous.metric !== next.metric) return next;
  const before = new Map(previous.series.map((s) => [s.trialId, s]));
  const series = next.series.map((s) => {
    const old = before.get(s.trialId);
    const lastEpoch = s.points.length ? s.points[s.points.length - 1][0] : 0;
    const newer = old?.points.filter((p) => p[0] > lastEpoch) ?? [];
    if (!old || !newer.length) return s;
    return { ...s, points: [...s.points, ...newer], epochs: Math.max(s.epochs, old.epochs), state: isFinishedState(old.state) ? old.state : s.state };
  });
  return { ...next, series };
}

const lastValue = (s: CurveSeries) => (s.points.length ? s.points[s.points.length - 1][1] : null);

/** Whether a trial that is not plotted now belongs among the top-N lines: the chart is not full, or its value beats
 *  the worst plotted line's latest value. */
export function beatsPlotted(curves: SweepCurves, trial: Pick<TrialSummary, "id" | "state" | "value">): boolean {
  if (trial.value === null || !isRankingState(trial.state)) return false;
  if (curves.series.some((s) => s.trialId === trial.id)) return false;
  const values = curves.series.map(lastValue).filter((v): v is number => v !== null);
  if (values.length < curves.top) return true;
  const worst = curves.goal === "maximize" ? Math.min(...values) : Math.max(...values);
  return curves.goal === "maximize" ? trial.value > worst : trial.value < worst;
}
