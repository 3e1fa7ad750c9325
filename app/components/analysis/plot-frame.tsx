// Axes, ticks and gridlines of the Analysis section's small SVG charts (history, slices).
import type { Box, PixelTick } from "../../lib/analysis-view";

/** White halo behind text, so labels stay readable over lines and dots. */
export const HALO = { paintOrder: "stroke", stroke: "white", strokeWidth: 3, strokeLinejoin: "round" } as const;

export function PlotFrame({ box, xTicks, yTicks, xLabel, yLabel }: { box: Box; xTicks: PixelTick[]; yTicks: PixelTick[]; xLabel?: string; yLabel?: string }) {
  const [left, right, top, bottom] = [box.left, box.width - box.right, box.top, box.height - box.bottom];
  return (
    <g className="text-[11px]" fill="#6b7280">
      {yTicks.map((t) => (
        <g key={`y${t.at}`}>
          <line x1={left} x2={right} y1={t.at} y2={t.at} stroke="#e5e7eb" />
          <text x={left - 6} y={t.at} dy="0.32em" textAnchor="end">
            {t.label}
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <g key={`x${t.at}`}>
          <line x1={t.at} x2={t.at} y1={bottom} y2={bottom + 4} stroke="#9ca3af" />
          <text x={t.at} y={bottom + 15} textAnchor="middle">
            {t.label}
          </text>
        </g>
      ))}
      <line x1={left} x2={right} y1={bottom} y2={bottom} stroke="#9ca3af" />
      <line x1={left} x2={left} y1={top} y2={bottom} stroke="#9ca3af" />
      {xLabel && (
        <text x={(left + right) / 2} y={box.height - 3} textAnchor="middle" fill="#374151">
          {xLabel}
        </text>
      )}
      {yLabel && (
        <text transform={`translate(12 ${(top + bottom) / 2}) rotate(-90)`} textAnchor="middle" fill="#374151">
          {yLabel}
        </text>
      )}
    </g>
  );
}
