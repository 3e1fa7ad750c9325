// Chart rows for the learning curves: one row per epoch carrying the all-trials band (min–max, p25–p75, median)
// and each plotted trial's value, which is what recharts' ComposedChart draws. Pure, unit-tested.
import type { SweepCurves, TrialState } from "../../server/sweeps/types";

/** Distinct in both colour schemes; the best trial gets the first. */
export const CURVE_COLORS = ["#3b82f6", "#10b981", "#8b5cf6", "#f59e0b", "#f43f5e", "#06b6d4", "#84cc16", "#d946ef", "#f97316", "#14b8a6", "#6366f1", "#ec4899"];

export interface PlottedSeries {
  key: string;
  trialId: string;
  number: number;
  state: TrialState;
  color: string;
  /** Added by the user (rather than one of the top-N). */
  selected: boolean;
  last: number | null;
}

export type CurveRow = { epoch: number; range?: [number, number]; iqr?: [number, number]; median?: number } & Record<string, number | [number, number] | undefined>;

export interface CurveChartData {
  rows: CurveRow[];
  series: PlottedSeries[];
  hasEnvelope: boolean;
}

export const seriesKey = (number: number) => `t${number}`;

/** Each drawn line's colour by trial id (the leaderboard marks plotted rows with it). */
export function curveColors(curves: SweepCurves): Map<string, string> {
  return new Map(curves.series.filter((s) => s.points.length > 0).map((s, i) => [s.trialId, CURVE_COLORS[i % CURVE_COLORS.length]]));
}

export function curveChartData(curves: SweepCurves, selected: readonly string[]): CurveChartData {
  const rows = new Map<number, CurveRow>();
  const row = (epoch: number) => {
    let r = rows.get(epoch);
    if (!r) rows.set(epoch, (r = { epoch }));
    return r;
  };
  for (const p of curves.envelope) {
    const r = row(p.epoch);
    r.range = [p.min, p.max];
    r.iqr = [p.p25, p.p75];
    r.median = p.median;
  }
  const chosen = new Set(selected);
  const series = curves.series
    .filter((s) => s.points.length > 0)
    .map((s, i): PlottedSeries => {
      const key = seriesKey(s.number);
      for (const [epoch, value] of s.points) row(epoch)[key] = value;
      return {
        key,
        trialId: s.trialId,
        number: s.number,
        state: s.state,
        color: CURVE_COLORS[i % CURVE_COLORS.length],
        selected: chosen.has(s.trialId),
        last: s.points[s.points.length - 1][1],
      };
    });
  return { rows: [...rows.values()].sort((a, b) => a.epoch - b.epoch), series, hasEnvelope: curves.envelope.length > 0 };
}

/** What the chart shows, in words: "top 10 of 10,000 trials by val_accuracy; 2 selected; band: all trials". */
export function curvesCaption(curves: SweepCurves, series: readonly PlottedSeries[], totalTrials: number): string {
  const top = series.filter((s) => !s.selected).length;
  const selected = series.length - top;
  const parts = [`top ${top.toLocaleString("en")} of ${totalTrials.toLocaleString("en")} trials by ${curves.metric}`];
  if (selected) parts.push(`${selected} selected`);
  if (curves.envelope.length) parts.push("band: all trials (p25–p75 darker, min–max lighter, median dashed)");
  return parts.join("; ");
}
