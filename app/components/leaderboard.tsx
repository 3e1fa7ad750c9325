"use client";
import { Card, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text, Title } from "@tremor/react";
import { Fragment } from "react";
import type { LiveTrial } from "@/app/lib/sweep-state";
import { rankTrials, type Goal, type ParameterColumns } from "@/app/lib/sweep-view";
import { formatMetric, formatParam } from "@/app/lib/format";
import { PromoteControl } from "./promote-control";
import { TrialStateBadge } from "./status-badge";

interface LeaderboardProps {
  trials: LiveTrial[];
  metric: string;
  goal: Goal;
  parameters: ParameterColumns;
  onPromoted(trialId: string, modelId: string): void;
}

/** Validation metrics the user reads next to the sweep metric (the sweep metric itself is not repeated). */
function secondaryMetrics(metric: string): string[] {
  return ["val_accuracy", "val_loss"].filter((m) => m !== metric);
}

// Tremor's cells are roomy (p-4); a leaderboard with a column per parameter needs them tighter.
const cell = "px-2 py-2.5";
const numeric = `${cell} text-right tabular-nums`;

export function Leaderboard({ trials, metric, goal, parameters, onPromoted }: LeaderboardProps) {
  const ranked = rankTrials(trials, goal);
  const extra = secondaryMetrics(metric);
  const showTest = trials.some((t) => Number.isFinite(t.metrics.test_accuracy));
  const columnCount = 6 + extra.length + (showTest ? 1 : 0) + parameters.swept.length;
  return (
    <Card>
      <Title>Leaderboard</Title>
      <Text>
        Ranked by {metric} ({goal === "maximize" ? "higher is better" : "lower is better"}); trials without a value follow by number.
        {parameters.fixed.length > 0 && <> Fixed: {parameters.fixed.map(([name, value]) => `${name} = ${formatParam(value)}`).join(", ")}.</>}
      </Text>
      {ranked.length === 0 ? (
        <Text className="mt-4">No trials yet. The scheduler starts them as workers become free.</Text>
      ) : (
        <Table className="mt-4">
          <TableHead>
            <TableRow>
              <TableHeaderCell className={numeric}>Rank</TableHeaderCell>
              <TableHeaderCell className={numeric}>Trial</TableHeaderCell>
              <TableHeaderCell className={cell}>State</TableHeaderCell>
              <TableHeaderCell className={numeric}>Epoch</TableHeaderCell>
              <TableHeaderCell className={`${numeric} text-tremor-content-strong`}>{metric}</TableHeaderCell>
              {extra.map((m) => (
                <TableHeaderCell key={m} className={numeric}>
                  {m}
                </TableHeaderCell>
              ))}
              {showTest && <TableHeaderCell className={numeric}>test_accuracy</TableHeaderCell>}
              {parameters.swept.map((p) => (
                <TableHeaderCell key={p} className={numeric}>
                  {p}
                </TableHeaderCell>
              ))}
              <TableHeaderCell className={cell}>Model</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {ranked.map(({ rank, trial }) => (
              <Fragment key={trial.id}>
                <TableRow data-testid={`trial-row-${trial.number}`} data-state={trial.state} data-rank={rank ?? ""}>
                  <TableCell className={numeric}>{rank ?? "—"}</TableCell>
                  <TableCell className={`${numeric} font-medium text-tremor-content-strong`}>#{trial.number}</TableCell>
                  <TableCell className={cell}>
                    <TrialStateBadge state={trial.state} />
                  </TableCell>
                  <TableCell className={numeric}>{trial.epochs || "—"}</TableCell>
                  <TableCell className={`${numeric} font-semibold text-tremor-content-strong`} data-testid={`trial-metric-${trial.number}`}>
                    {formatMetric(trial.value)}
                  </TableCell>
                  {extra.map((m) => (
                    <TableCell key={m} className={numeric}>
                      {formatMetric(trial.metrics[m])}
                    </TableCell>
                  ))}
                  {showTest && <TableCell className={numeric}>{formatMetric(trial.metrics.test_accuracy)}</TableCell>}
                  {parameters.swept.map((p) => (
                    <TableCell key={p} className={numeric}>
                      {formatParam(trial.params[p])}
                    </TableCell>
                  ))}
                  <TableCell className={cell}>
                    <PromoteControl trial={trial} onPromoted={onPromoted} />
                  </TableCell>
                </TableRow>
                {trial.error && (
                  // A row of its own, so long messages do not squeeze the metric columns.
                  <TableRow className="bg-red-50/50">
                    <TableCell colSpan={columnCount} className="whitespace-normal px-2 py-2 text-xs text-red-700" data-testid={`trial-error-${trial.number}`}>
                      Trial #{trial.number} {trial.state}: {trial.error}
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
