"use client";
// Slice plots: one small scatter per parameter, x its value (on its own scale: log, int, categories), y the
// objective on a range shared by all panels; dots coloured by trial order, the best trial in rose.
import { useMemo } from "react";
import { axisCaption, mixColor, ORDER_GRADIENT, paddedRange, sliceGeometry, type SlicePanelData } from "../../lib/analysis-view";
import { formatMetric } from "../../lib/format";
import { PlotFrame } from "./plot-frame";

interface SlicePlotsProps {
  slices: SlicePanelData[];
  metric: string;
  bestTrial: number | null;
}

export function SlicePlots({ slices, metric, bestTrial }: SlicePlotsProps) {
  const { yRange, numbers } = useMemo(() => {
    const points = slices.flatMap((s) => s.points);
    const trialNumbers = points.map((p) => p.number);
    return {
      yRange: paddedRange(points.map((p) => p.value)),
      numbers: trialNumbers.length ? ([Math.min(...trialNumbers), Math.max(...trialNumbers)] as [number, number]) : null,
    };
  }, [slices]);
  return (
    <div className="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4">
      {slices.map((panel) => (
        <SlicePanel key={panel.axis.name} panel={panel} metric={metric} yRange={yRange} numbers={numbers} bestTrial={bestTrial} />
      ))}
    </div>
  );
}

function SlicePanel({ panel, metric, yRange, numbers, bestTrial }: { panel: SlicePanelData; metric: string; yRange: [number, number] | null; numbers: [number, number] | null; bestTrial: number | null }) {
  const geometry = useMemo(() => sliceGeometry(panel, yRange, numbers, bestTrial), [panel, yRange, numbers, bestTrial]);
  const { box } = geometry;
  return (
    <div className="rounded-tremor-default border border-tremor-border p-2" data-testid={`slice-${panel.axis.name}`}>
      <p className="px-1 text-tremor-default font-medium text-tremor-content-strong">
        {panel.axis.name} <span className="font-normal text-tremor-content">· {axisCaption(panel.axis)}</span>
      </p>
      <svg viewBox={`0 0 ${box.width} ${box.height}`} className="h-auto w-full" role="img" aria-label={`${metric} against ${panel.axis.name}`}>
        <PlotFrame box={box} xTicks={geometry.xTicks} yTicks={geometry.yTicks} />
        {geometry.points.map((p) => (
          <circle key={p.number} cx={p.cx} cy={p.cy} r={p.isBest ? 5 : 4} fill={p.color} fillOpacity={0.85} stroke="white" strokeWidth={1} data-trial={p.number}>
            <title>{`Trial #${p.number}: ${panel.axis.name} ${p.label}, ${metric} ${formatMetric(p.value)}`}</title>
          </circle>
        ))}
        {!geometry.points.length && (
          <text x={box.width / 2} y={box.height / 2} textAnchor="middle" className="text-[11px]" fill="#6b7280">
            no complete trial used it
          </text>
        )}
      </svg>
    </div>
  );
}

export function SliceLegend() {
  const gradient = `linear-gradient(to right, ${mixColor(ORDER_GRADIENT, 0)}, ${mixColor(ORDER_GRADIENT, 1)})`;
  return (
    <span className="flex items-center gap-1.5 text-xs text-tremor-content">
      earlier <span className="inline-block h-2 w-16 rounded" style={{ background: gradient }} /> later trials
    </span>
  );
}
