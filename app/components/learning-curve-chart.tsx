"use client";
import { Card, LineChart, Text, Title } from "@tremor/react";
import { useMemo } from "react";
import type { LiveTrial } from "@/app/lib/sweep-state";
import { learningCurves } from "@/app/lib/sweep-view";
import { formatMetric } from "@/app/lib/format";

// Tremor cycles through these; all are covered by the Tailwind safelist.
const SERIES_COLORS = ["blue", "emerald", "violet", "amber", "rose", "cyan", "lime", "fuchsia", "orange", "teal", "indigo", "pink"];

/** The sweep metric per epoch, one line per trial; grows as trial:epoch events arrive. */
export function LearningCurveChart({ trials, metric }: { trials: LiveTrial[]; metric: string }) {
  const { rows, series } = useMemo(() => learningCurves(trials, metric), [trials, metric]);
  return (
    <Card>
      <Title>Learning curves</Title>
      <Text>{metric} per epoch, one line per trial</Text>
      {rows.length ? (
        <LineChart
          className="mt-4 h-72"
          data={rows}
          index="epoch"
          categories={series}
          colors={series.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length])}
          valueFormatter={formatMetric}
          xAxisLabel="epoch"
          yAxisWidth={64}
          autoMinValue
          connectNulls
          showAnimation={false}
          enableLegendSlider
          data-testid="learning-curves"
        />
      ) : (
        <div className="mt-4 flex h-72 items-center justify-center rounded-tremor-default border border-dashed border-tremor-border">
          <Text>No epochs reported yet. Curves appear here as trials train.</Text>
        </div>
      )}
    </Card>
  );
}
