"use client";
import { Text } from "@tremor/react";
import { useMemo } from "react";
import { useSweepLive } from "@/app/lib/use-sweep-live";
import { parameterColumns, sweepProgress } from "@/app/lib/sweep-view";
import { AnalysisSection } from "./analysis/analysis-section";
import { LearningCurveChart } from "./learning-curve-chart";
import { Leaderboard } from "./leaderboard";
import { Notice } from "./notice";
import { SweepHeader } from "./sweep-header";

/** The live sweep page: header, learning curves and leaderboard, all fed by useSweepLive; the Analysis section below. */
export function SweepLiveView({ sweepId }: { sweepId: string }) {
  const { detail, error, connection, markPromoted } = useSweepLive(sweepId);
  const progress = useMemo(() => (detail ? sweepProgress(detail) : null), [detail]);
  const document = detail?.sweep.document;
  const parameters = useMemo(() => (document ? parameterColumns(document) : null), [document]);

  if (!detail || !progress || !parameters) {
    return error ? (
      <Notice title="Could not load this sweep" tone="error">
        {error}
      </Notice>
    ) : (
      <Text className="mt-6" data-testid="sweep-loading">
        Loading sweep…
      </Text>
    );
  }

  const { sweep, trials } = detail;
  return (
    <div className="space-y-6">
      <SweepHeader sweep={sweep} progress={progress} connection={connection} />
      {error && <Notice title="Showing the last data received" tone="error">{error}</Notice>}
      <LearningCurveChart trials={trials} metric={sweep.metric.name} />
      <Leaderboard
        trials={trials}
        metric={sweep.metric.name}
        goal={sweep.metric.goal}
        parameters={parameters}
        onPromoted={markPromoted}
      />
      <AnalysisSection sweepId={sweepId} trials={trials} metric={sweep.metric.name} goal={sweep.metric.goal} parameterOrder={parameters.swept} />
    </div>
  );
}
