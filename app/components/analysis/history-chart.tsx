"use client";
// Optimisation history: each complete trial's value (dots) and the best so far (a step line), in trial order.
import { useMemo } from "react";
import { BEST_COLOR, historyGeometry, type HistoryData } from "../../lib/analysis-view";
import { formatMetric } from "../../lib/format";
import { PlotFrame } from "./plot-frame";

const DOT_COLOR = "#3b82f6";

export function HistoryChart({ history, metric }: { history: HistoryData; metric: string }) {
  const geometry = useMemo(() => historyGeometry(history), [history]);
  const { box, points } = geometry;
  return (
    <svg viewBox={`0 0 ${box.width} ${box.height}`} className="h-auto w-full" role="img" aria-label={`${metric} per trial and best so far`} data-testid="history-chart">
      <PlotFrame box={box} xTicks={geometry.xTicks} yTicks={geometry.yTicks} xLabel="trial" yLabel={metric} />
      <path d={geometry.bestPath} fill="none" stroke={BEST_COLOR} strokeWidth={2} strokeOpacity={0.85} />
      {points.map((p) => (
        <circle
          key={p.number}
          cx={p.cx}
          cy={p.cy}
          r={p.isBest ? 5.5 : 4}
          fill={p.isBest ? BEST_COLOR : DOT_COLOR}
          fillOpacity={p.isBest ? 1 : 0.75}
          stroke="white"
          strokeWidth={1}
          data-trial={p.number}
        >
          <title>{`Trial #${p.number}: ${formatMetric(p.value)} (best so far ${formatMetric(p.bestSoFar)})`}</title>
        </circle>
      ))}
    </svg>
  );
}

export function HistoryLegend({ bestTrial }: { bestTrial: number | null }) {
  return (
    <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-tremor-content">
      <span className="flex items-center gap-1.5">
        <span className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: DOT_COLOR }} /> trial value
      </span>
      <span className="flex items-center gap-1.5">
        <span className="inline-block h-0.5 w-4" style={{ background: BEST_COLOR }} /> best so far
      </span>
      {bestTrial !== null && (
        <span className="flex items-center gap-1.5">
          <span className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: BEST_COLOR }} /> best: trial #{bestTrial}
        </span>
      )}
    </div>
  );
}
