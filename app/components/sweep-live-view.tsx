"use client";
import { Text } from "@tremor/react";
import { useMemo } from "react";
import { useSweepLive } from "@/app/lib/use-sweep-live";
import { curveColors } from "@/app/lib/curve-view";
import { parameterColumns, sweepProgress } from "@/app/lib/sweep-view";
import { AnalysisSection } from "./analysis/analysis-section";
import { LearningCurveChart } from "./learning-curve-chart";
import { Leaderboard } from "./leaderboard/leaderboard";
import { Notice } from "./notice";
import { SweepHeader } from "./sweep-header";

/** The live sweep page: header, learning curves and leaderboard, all fed by useSweepLive; the Analysis section below. */
export function SweepLiveView({ sweepId }: { sweepId: string }) {
  const { state, controller, error, connection } = useSweepLive(sweepId);
  const { sweep, board, curves, selected } = state;
  const progress = useMemo(() => (sweep ? sweepProgress(sweep) : null), [sweep]);
  const document = sweep?.document;
  const parameters = useMemo(() => (document ? parameterColumns(document) : null), [document]);
  // The leaderboard marks each plotted trial with its line's colour.
  const lineColors = useMemo(() => (curves ? curveColors(curves) : new Map<string, string>()), [curves]);

  if (!sweep || !progress || !parameters) {
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

  return (
    <div className="space-y-6">
      <SweepHeader sweep={sweep} progress={progress} connection={connection} />
      {error && <Notice title="Showing the last data received" tone="error">{error}</Notice>}
      <LearningCurveChart curves={curves} selected={selected} totalTrials={progress.total} />
      <Leaderboard sweep={sweep} board={board} parameters={parameters} selected={selected} lineColors={lineColors} controller={controller} />
      <AnalysisSection sweepId={sweepId} trialCounts={sweep.trialCounts} metric={sweep.metric.name} goal={sweep.metric.goal} parameterOrder={parameters.swept} />
    </div>
  );
}
