"use client";
// The sweep page's Analysis section, below the leaderboard: importance, optimisation history, parallel coordinates
// and slice plots of GET /api/sweeps/:id/analysis, loaded when the section first scrolls into view and refreshed
// when trials finish (see useSweepAnalysis).
import { Card, Text, Title } from "@tremor/react";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { BEST_COLOR, finishedTrialsKey, importanceView, mixColor, orderAnalysis, VALUE_GRADIENT, type Goal, type SweepAnalysis } from "../../lib/analysis-view";
import type { TrialCounts } from "../../lib/trial-states";
import { useSweepAnalysis } from "../../lib/use-sweep-analysis";
import { EmptyPlot } from "./empty-plot";
import { HistoryChart, HistoryLegend } from "./history-chart";
import { ImportanceCard } from "./importance-card";
import { ParallelCoordinatesPlot } from "./parallel-coordinates";
import { SliceLegend, SlicePlots } from "./slice-plots";

/** True from the first time the element comes near the viewport (no IntersectionObserver: at once). */
function useFirstVisible(ref: React.RefObject<HTMLElement | null>): boolean {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (visible || !element) return;
    if (typeof IntersectionObserver === "undefined") {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), { rootMargin: "200px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, visible]);
  return visible;
}

interface AnalysisSectionProps {
  sweepId: string;
  /** The sweep summary's counts: the analysis refreshes when the finished ones change. */
  trialCounts: TrialCounts;
  metric: string;
  goal: Goal;
  /** Parameter order of the leaderboard's columns, used for the axes and panels too. */
  parameterOrder: readonly string[];
}

// Memoised: the page re-renders per frame of live events, the analysis only when trials finish.
export const AnalysisSection = memo(function AnalysisSection({ sweepId, trialCounts, metric, goal, parameterOrder }: AnalysisSectionProps) {
  const ref = useRef<HTMLElement>(null);
  const visible = useFirstVisible(ref);
  const finishedKey = finishedTrialsKey(trialCounts);
  const { analysis: loaded, error, loading } = useSweepAnalysis(sweepId, { visible, finishedKey });
  const analysis = useMemo(() => (loaded ? orderAnalysis(loaded, parameterOrder) : null), [loaded, parameterOrder]);

  return (
    <section ref={ref} className="space-y-4" data-testid="analysis" data-loading={loading ? "true" : undefined}>
      <div>
        <h2 className="text-tremor-title font-semibold text-tremor-content-strong dark:text-dark-tremor-content-strong">Analysis</h2>
        <Text>
          Complete trials only, {metric} ({goal === "maximize" ? "higher is better" : "lower is better"}); refreshed as trials finish.
          {error && <span className="text-red-700"> Could not load the analysis: {error}</span>}
        </Text>
      </div>
      {!analysis ? (
        <Card>
          <EmptyPlot>{error ? "The analysis is not available right now." : "Loading analysis…"}</EmptyPlot>
        </Card>
      ) : (
        <AnalysisPanels analysis={analysis} goal={goal} />
      )}
    </section>
  );
});

function AnalysisPanels({ analysis, goal }: { analysis: SweepAnalysis; goal: Goal }) {
  const importance = useMemo(() => importanceView(analysis), [analysis]);
  const metric = analysis.metric.name;
  const complete = analysis.history.points.length;
  const noTrials = <EmptyPlot>No complete trials yet. This fills in as trials finish.</EmptyPlot>;
  // Past a few thousand trials the server draws the best ones and an even sample of the rest (sweep-analysis.ts).
  const { drawn } = analysis;
  const sampleNote = drawn.sampled ? ` (${drawn.drawn.toLocaleString()} of ${drawn.of.toLocaleString()} drawn: the best ${drawn.best.toLocaleString()} and an even sample of the rest)` : "";
  return (
    <>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-5">
        <ImportanceCard view={importance} />
        <Card className="lg:col-span-3">
          <Title>Optimisation history</Title>
          <Text>{metric} of each complete trial and the best so far</Text>
          {complete ? (
            <>
              <HistoryChart history={analysis.history} metric={metric} />
              <HistoryLegend bestTrial={analysis.history.bestTrial} />
            </>
          ) : (
            noTrials
          )}
        </Card>
      </div>
      <Card>
        <Title>Parallel coordinates</Title>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Text data-testid="parallel-coordinates-caption">
            One line per complete trial across the searched parameters and {metric}
            {sampleNote}; hover a line for its trial
          </Text>
          <ValueLegend />
        </div>
        {complete ? <div className="mt-2 overflow-x-auto"><ParallelCoordinatesPlot data={analysis.parallelCoordinates} goal={goal} /></div> : noTrials}
      </Card>
      <Card>
        <Title>Slices</Title>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Text>
            {metric} against each parameter{sampleNote}
          </Text>
          <SliceLegend />
        </div>
        {complete ? <SlicePlots slices={analysis.slices} metric={metric} bestTrial={analysis.history.bestTrial} /> : noTrials}
      </Card>
    </>
  );
}

function ValueLegend() {
  const gradient = `linear-gradient(to right, ${mixColor(VALUE_GRADIENT, 0)}, ${mixColor(VALUE_GRADIENT, 1)})`;
  return (
    <span className="flex items-center gap-3 text-xs text-tremor-content">
      <span className="flex items-center gap-1.5">
        worse <span className="inline-block h-2 w-16 rounded" style={{ background: gradient }} /> better
      </span>
      <span className="flex items-center gap-1.5">
        <span className="inline-block h-0.5 w-4" style={{ background: BEST_COLOR }} /> best trial
      </span>
    </span>
  );
}
