"use client";
// The sweep's leaderboard: sorted, filtered and paginated by the server, drawn virtually (see leaderboard-table.tsx).
// The DOM attributes on the root and the scroll container are a contract the UI benchmark and the e2e tests read.
import { Card, Text, Title } from "@tremor/react";
import { useCallback, useMemo } from "react";
import type { SweepSummary, TrialState } from "@/server/sweeps/types";
import { formatParam } from "@/app/lib/format";
import { loadedRows, sortBy, type BoardState } from "@/app/lib/leaderboard-cache";
import type { SweepLiveController } from "@/app/lib/sweep-live-controller";
import type { ParameterColumns } from "@/app/lib/sweep-view";
import { ALL_TRIAL_STATES, countOf, isRankingState } from "@/app/lib/trial-states";
import { leaderboardColumns } from "./columns";
import { LeaderboardTable } from "./leaderboard-table";
import { StateFilter } from "./state-filter";

const RANKED_STATES = ALL_TRIAL_STATES.filter(isRankingState);

interface LeaderboardProps {
  sweep: SweepSummary;
  board: BoardState;
  parameters: ParameterColumns;
  selected: readonly string[];
  lineColors: ReadonlyMap<string, string>;
  controller: SweepLiveController | null;
}

export function Leaderboard({ sweep, board, parameters, selected, lineColors, controller }: LeaderboardProps) {
  const { name: metric, goal } = sweep.metric;
  // The test column appears with the first complete trial (test metrics are reported at the end) and stays.
  const showTest = countOf(sweep.trialCounts, "complete") > 0 || loadedRows(board).some((r) => Number.isFinite(r.metrics.test_accuracy));
  const columns = useMemo(() => leaderboardColumns(metric, parameters, showTest), [metric, parameters, showTest]);
  const { query } = board;
  const onSort = useCallback((sortKey: string) => controller?.setQuery(sortBy(query, sortKey, metric, goal)), [controller, query, metric, goal]);
  const onFilter = useCallback((states: TrialState[] | null) => controller?.setQuery({ ...query, states }), [controller, query]);
  const onRange = useCallback((start: number, end: number) => controller?.showRange(start, end), [controller]);
  const onTogglePlot = useCallback((trialId: string, plotted: boolean) => controller?.setPlotted(trialId, plotted), [controller]);
  const onPromoted = useCallback((trialId: string, modelId: string) => controller?.markPromoted(trialId, modelId), [controller]);
  const total = board.total ?? 0;
  // Ready once rows of the current order are in hand (a new sort or filter clears them until its first page).
  const ready = board.total !== null && (board.total === 0 || Object.keys(board.pages).length > 0);

  return (
    <Card data-testid="leaderboard" data-total={total} data-sort={query.sort} data-order={query.order} data-ready={ready ? "true" : "false"}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Title>Leaderboard</Title>
          <Text>
            {total.toLocaleString("en")} {query.states ? query.states.join(", ") + " " : ""}trials. Rank by {metric} ({goal === "maximize" ? "higher is better" : "lower is better"})
            over {RANKED_STATES.join(", ")} trials; the rest follow by number. Click a column to sort.
            {parameters.fixed.length > 0 && <> Fixed: {parameters.fixed.map(([name, value]) => `${name} = ${formatParam(value)}`).join(", ")}.</>}
          </Text>
        </div>
        <StateFilter states={query.states} counts={sweep.trialCounts} onChange={onFilter} />
      </div>
      {ready && total === 0 ? (
        <Text className="mt-4">
          {query.states ? "No trials in this state." : "No trials yet. The scheduler starts them as workers become free."}
        </Text>
      ) : (
        <LeaderboardTable
          board={board}
          columns={columns}
          selected={selected}
          lineColors={lineColors}
          onRange={onRange}
          onSort={onSort}
          onTogglePlot={onTogglePlot}
          onPromoted={onPromoted}
        />
      )}
    </Card>
  );
}
