"use client";
// Learning curves at any sweep size: lines for the top-N trials by the sweep metric plus the ones the user picked,
// over a band for all trials (p25–p75 darker, min–max lighter, median dashed), all downsampled by the server.
// recharts directly, because Tremor's LineChart cannot draw bands. Live points arrive every frame; the chart
// redraws at most a few times a second, as redrawing thirty 500-point lines per frame would cost the page.
import { Card, Text, Title } from "@tremor/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipProps } from "recharts";
import type { SweepCurves } from "@/server/sweeps/types";
import { curveChartData, curvesCaption, type PlottedSeries } from "@/app/lib/curve-view";
import { formatMetric } from "@/app/lib/format";
import { niceTicks } from "@/app/lib/plot-scales";

const REDRAW_MS = 300;
// Slate reads on white and on gray-900 alike.
const BAND = "#64748b";

/** `value`, but changing at most every `ms` (the latest value always lands; no timer runs while nothing changes). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const lastShown = useRef(0);
  useEffect(() => {
    if (value === shown) return;
    const timer = setTimeout(() => {
      lastShown.current = Date.now();
      setShown(value);
    }, Math.max(0, lastShown.current + ms - Date.now()));
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}

export function LearningCurveChart({ curves, selected, totalTrials }: { curves: SweepCurves | null; selected: readonly string[]; totalTrials: number }) {
  const throttled = useThrottled(curves, REDRAW_MS);
  const shown = throttled ?? curves;
  const data = useMemo(() => (shown ? curveChartData(shown, selected) : null), [shown, selected]);
  const hasData = !!data && (data.series.length > 0 || data.hasEnvelope);
  const epochAxis = useMemo(() => {
    const epochs = data?.rows.map((r) => r.epoch) ?? [];
    const [lo, hi] = epochs.length ? [Math.min(...epochs), Math.max(...epochs)] : [1, 1];
    return { domain: [lo, hi] as [number, number], ticks: niceTicks(lo, hi, 6, true) };
  }, [data]);
  return (
    <Card>
      <Title>Learning curves</Title>
      <Text>
        <span data-testid="curves-caption">{shown && data ? curvesCaption(shown, data.series, totalTrials) : "Loading…"}</span>
      </Text>
      <div
        className="mt-4 text-tremor-content dark:text-dark-tremor-content"
        data-testid="learning-curves"
        data-ready={data ? "true" : "false"}
        data-series={data?.series.length ?? 0}
      >
        {hasData ? (
          <>
            <div className="h-72">
              <ResponsiveContainer width="100%" height="100%">
                <ComposedChart data={data.rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
                  <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
                  <XAxis
                    dataKey="epoch"
                    type="number"
                    domain={epochAxis.domain}
                    // Our own integer ticks: recharts' allowDecimals={false} hung the page on a 1–2 epoch domain.
                    ticks={epochAxis.ticks}
                    stroke="currentColor"
                    tick={{ fill: "currentColor", fontSize: 12 }}
                    label={{ value: "epoch", position: "insideBottomRight", offset: -2, fill: "currentColor", fontSize: 12 }}
                  />
                  <YAxis domain={["auto", "auto"]} width={56} stroke="currentColor" tick={{ fill: "currentColor", fontSize: 12 }} tickFormatter={formatMetric} />
                  <Tooltip content={<CurveTooltip series={data.series} metric={shown!.metric} />} isAnimationActive={false} />
                  {/* Direct children, not a fragment: recharts looks its series up among its children. */}
                  {data.hasEnvelope && <Area dataKey="range" stroke="none" fill={BAND} fillOpacity={0.14} isAnimationActive={false} activeDot={false} connectNulls />}
                  {data.hasEnvelope && <Area dataKey="iqr" stroke="none" fill={BAND} fillOpacity={0.3} isAnimationActive={false} activeDot={false} connectNulls />}
                  {data.hasEnvelope && (
                    <Line dataKey="median" stroke={BAND} strokeDasharray="5 4" strokeWidth={1.5} dot={false} activeDot={false} isAnimationActive={false} connectNulls />
                  )}
                  {data.series.map((s) => (
                    <Line
                      key={s.key}
                      dataKey={s.key}
                      name={`Trial ${s.number}`}
                      stroke={s.color}
                      strokeWidth={s.selected ? 2.25 : 1.75}
                      dot={false}
                      isAnimationActive={false}
                      connectNulls
                    />
                  ))}
                </ComposedChart>
              </ResponsiveContainer>
            </div>
            <CurveLegend series={data.series} hasEnvelope={data.hasEnvelope} />
          </>
        ) : (
          <div className="flex h-72 items-center justify-center rounded-tremor-default border border-dashed border-tremor-border dark:border-dark-tremor-border">
            <Text>{data ? "No epochs reported yet. Curves appear here as trials train." : "Loading curves…"}</Text>
          </div>
        )}
      </div>
    </Card>
  );
}

function CurveLegend({ series, hasEnvelope }: { series: PlottedSeries[]; hasEnvelope: boolean }) {
  return (
    <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs" data-testid="curves-legend">
      {series.map((s) => (
        <li key={s.key} className="flex items-center gap-1.5 tabular-nums">
          <span className="inline-block h-0.5 w-4 rounded" style={{ background: s.color, height: s.selected ? 3 : 2 }} aria-hidden />
          <span className="text-tremor-content-emphasis dark:text-dark-tremor-content-emphasis">#{s.number}</span>
          <span>{formatMetric(s.last)}</span>
          {s.selected && <span className="text-tremor-content-subtle dark:text-dark-tremor-content-subtle">(picked)</span>}
        </li>
      ))}
      {hasEnvelope && (
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-2.5 w-4 rounded-sm" style={{ background: BAND, opacity: 0.45 }} aria-hidden />
          all trials: p25–p75, min–max; median dashed
        </li>
      )}
    </ul>
  );
}

type CurveTooltipProps = TooltipProps<number | [number, number], string> & { series: PlottedSeries[]; metric: string };

function CurveTooltip({ active, payload, label, series, metric }: CurveTooltipProps) {
  if (!active || !payload?.length) return null;
  const row = payload[0].payload as Record<string, number | [number, number] | undefined>;
  const range = row.range as [number, number] | undefined;
  const iqr = row.iqr as [number, number] | undefined;
  const lines = series.filter((s) => typeof row[s.key] === "number").sort((a, b) => (row[b.key] as number) - (row[a.key] as number));
  return (
    <div className="rounded-tremor-default border border-tremor-border bg-tremor-background px-3 py-2 text-xs shadow-tremor-dropdown dark:border-dark-tremor-border dark:bg-dark-tremor-background dark:shadow-dark-tremor-dropdown">
      <p className="font-medium text-tremor-content-strong dark:text-dark-tremor-content-strong">
        {metric} at epoch {label}
      </p>
      {lines.slice(0, 12).map((s) => (
        <p key={s.key} className="flex items-center gap-1.5 tabular-nums">
          <span className="inline-block h-2 w-2 rounded-full" style={{ background: s.color }} aria-hidden />
          Trial {s.number}: {formatMetric(row[s.key] as number)}
        </p>
      ))}
      {range && iqr && (
        <p className="mt-1 tabular-nums text-tremor-content dark:text-dark-tremor-content">
          all trials: median {formatMetric(row.median as number)}, p25–p75 {formatMetric(iqr[0])}–{formatMetric(iqr[1])}, min–max {formatMetric(range[0])}–
          {formatMetric(range[1])}
        </p>
      )}
    </div>
  );
}
