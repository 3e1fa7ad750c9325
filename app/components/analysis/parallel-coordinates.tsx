"use client";
// Parallel coordinates in plain SVG: one vertical axis per searched parameter plus the objective, one polyline per
// complete trial coloured by its value (light = worse, dark = better, the best in rose). Rendered from props only
// (hover is local state), geometry from parallelCoordinatesGeometry.
import { useMemo, useState } from "react";
import { PC_BOX, parallelCoordinatesGeometry, type Goal, type ParallelCoordinatesData } from "../../lib/analysis-view";
import { formatMetric } from "../../lib/format";
import { HALO } from "./plot-frame";

/** Room per axis, so names and tick labels do not collide when many parameters are searched. */
const AXIS_SPACING = 130;

export function ParallelCoordinatesPlot({ data, goal }: { data: ParallelCoordinatesData; goal: Goal }) {
  const [hovered, setHovered] = useState<number | null>(null);
  const geometry = useMemo(() => {
    const width = Math.max(PC_BOX.width, AXIS_SPACING * data.axes.length + PC_BOX.left + PC_BOX.right);
    return parallelCoordinatesGeometry(data, goal, { ...PC_BOX, width });
  }, [data, goal]);
  const { box, axes, lines } = geometry;
  const [top, bottom] = [box.top, box.height - box.bottom];
  const hoveredLine = lines.find((l) => l.number === hovered);
  const lastAxis = axes.length - 1;

  return (
    <svg
      viewBox={`0 0 ${box.width} ${box.height}`}
      className="h-auto w-full"
      style={{ minWidth: Math.round(box.width * 0.7) }}
      role="img"
      aria-label={`Parallel coordinates of ${lines.length} complete trials`}
      data-testid="parallel-coordinates"
      onMouseLeave={() => setHovered(null)}
    >
      {axes.map((axis) => (
        <line key={axis.key} x1={axis.x} x2={axis.x} y1={top} y2={bottom} stroke="#9ca3af" />
      ))}

      <g fill="none" strokeLinejoin="round" strokeLinecap="round">
        {lines.map((line) => {
          const dimmed = hovered !== null && hovered !== line.number;
          const emphasised = hovered === line.number || (hovered === null && line.isBest);
          return (
            <g
              key={line.number}
              data-testid={`pc-line-${line.number}`}
              data-best={line.isBest ? "true" : undefined}
              stroke={line.color}
              strokeWidth={emphasised ? 3 : 1.6}
              strokeOpacity={dimmed ? 0.25 : 0.9}
              onMouseEnter={() => setHovered(line.number)}
            >
              <title>{`Trial #${line.number}: ${data.objective.name} ${formatMetric(line.value)}`}</title>
              {line.polylines.map((points, i) => (
                <polyline key={i} points={points} />
              ))}
              {line.dots.map(([x, y], i) => (
                <circle key={`d${i}`} cx={x} cy={y} r={2.5} fill={line.color} />
              ))}
              {/* A wider invisible stroke, so thin lines are easy to hover. */}
              {line.polylines.map((points, i) => (
                <polyline key={`h${i}`} points={points} stroke="transparent" strokeWidth={9} pointerEvents="stroke" />
              ))}
            </g>
          );
        })}
      </g>

      <g className="text-[11px]" fill="#6b7280" pointerEvents="none">
        {axes.map((axis, i) => {
          // Tick labels sit left of each axis, except the objective's (the last), which sit right of it.
          const right = i === lastAxis;
          return (
            <g key={axis.key} data-axis={axis.title}>
              <text x={axis.x} y={top - 24} textAnchor="middle" fill="#111827" className="text-[12px] font-medium">
                {axis.title}
              </text>
              <text x={axis.x} y={top - 10} textAnchor="middle">
                {axis.caption}
              </text>
              {axis.ticks.map((t) => (
                <g key={`${t.at}:${t.label}`}>
                  <line x1={axis.x - 3} x2={axis.x + 3} y1={t.at} y2={t.at} stroke="#6b7280" />
                  <text x={axis.x + (right ? 6 : -6)} y={t.at} dy="0.32em" textAnchor={right ? "start" : "end"} style={HALO} fill="#374151">
                    {t.label}
                  </text>
                </g>
              ))}
            </g>
          );
        })}
        {hoveredLine && (
          <text x={box.width - 4} y={box.height - 6} textAnchor="end" fill="#111827" className="text-[12px] font-medium" data-testid="pc-hover">
            {`Trial #${hoveredLine.number} · ${data.objective.name} ${formatMetric(hoveredLine.value)}`}
          </text>
        )}
      </g>
    </svg>
  );
}
