"use client";
import { Button, Card, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text, Title } from "@tremor/react";
import { Fragment, useState } from "react";
import type { LiveTrial } from "@/app/lib/sweep-state";
import { rankTrials, type Goal, type ParameterColumns } from "@/app/lib/sweep-view";
import { formatMetric, formatParam } from "@/app/lib/format";
import { PromoteControl } from "./promote-control";
import { TrialStateBadge } from "./status-badge";
import { TrialEvaluationPanel } from "./trial-evaluation/trial-evaluation-panel";

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
// Headers may wrap, at underscores only, so a dozen columns fit a laptop screen without scrolling.
const header = `${numeric} whitespace-normal align-bottom`;

/** "learning_rate" with a line-break opportunity after each underscore. */
function ColumnName({ name }: { name: string }) {
  const parts = name.split("_");
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              _<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}

export function Leaderboard({ trials, metric, goal, parameters, onPromoted }: LeaderboardProps) {
  const ranked = rankTrials(trials, goal);
  const extra = secondaryMetrics(metric);
  const showTest = trials.some((t) => Number.isFinite(t.metrics.test_accuracy));
  const columnCount = 6 + extra.length + (showTest ? 1 : 0) + parameters.swept.length;
  // The trial whose evaluation (confusion matrix, per-class metrics, samples) is open below its row.
  const [openTrial, setOpenTrial] = useState<string | null>(null);
  return (
    <Card>
      <Title>Leaderboard</Title>
      <Text>
        Ranked by {metric} ({goal === "maximize" ? "higher is better" : "lower is better"}) over complete and running trials; pruned,
        failed and waiting trials follow by number.
        {parameters.fixed.length > 0 && <> Fixed: {parameters.fixed.map(([name, value]) => `${name} = ${formatParam(value)}`).join(", ")}.</>}
      </Text>
      {ranked.length === 0 ? (
        <Text className="mt-4">No trials yet. The scheduler starts them as workers become free.</Text>
      ) : (
        <Table className="mt-4">
          <TableHead>
            <TableRow>
              <TableHeaderCell className={header}>Rank</TableHeaderCell>
              <TableHeaderCell className={header}>Trial</TableHeaderCell>
              <TableHeaderCell className={`${cell} align-bottom`}>State</TableHeaderCell>
              <TableHeaderCell className={header}>Epoch</TableHeaderCell>
              <TableHeaderCell className={`${header} text-tremor-content-strong`}>
                <ColumnName name={metric} />
              </TableHeaderCell>
              {[...extra, ...(showTest ? ["test_accuracy"] : []), ...parameters.swept].map((name) => (
                <TableHeaderCell key={name} className={header}>
                  <ColumnName name={name} />
                </TableHeaderCell>
              ))}
              <TableHeaderCell className={`${cell} align-bottom`}>Model</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {ranked.map(({ rank, trial }) => (
              <Fragment key={trial.id}>
                <TableRow data-testid={`trial-row-${trial.number}`} data-state={trial.state} data-rank={rank ?? ""}>
                  <TableCell className={numeric}>{rank ?? "—"}</TableCell>
                  <TableCell className={`${numeric} font-medium text-tremor-content-strong`}>#{trial.number}</TableCell>
                  <TableCell className={cell}>
                    <TrialStateBadge state={trial.state} title={trial.stopReason ?? undefined} />
                    {/* A re-queued trial (its worker was lost) runs again: say which run this is. */}
                    {trial.attempt > 0 && (
                      <span className="ml-1 text-tremor-label text-tremor-content" data-testid={`trial-attempt-${trial.number}`}>
                        run {trial.attempt + 1}
                      </span>
                    )}
                  </TableCell>
                  <TableCell className={numeric}>{trial.epochs || "—"}</TableCell>
                  {/* An unranked value (pruned, failed) is shown, but not in the weight of a result. */}
                  <TableCell
                    className={`${numeric} ${rank === null ? "text-tremor-content" : "font-semibold text-tremor-content-strong"}`}
                    data-testid={`trial-metric-${trial.number}`}
                  >
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
                    <div className="flex items-start gap-1">
                      <PromoteControl trial={trial} onPromoted={onPromoted} />
                      {trial.state === "complete" && (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => setOpenTrial(openTrial === trial.id ? null : trial.id)}
                          aria-expanded={openTrial === trial.id}
                          data-testid={`details-${trial.number}`}
                        >
                          {openTrial === trial.id ? "Hide" : "Details"}
                        </Button>
                      )}
                    </div>
                  </TableCell>
                </TableRow>
                {trial.stopReason && (
                  // Why the pruner (or early stopping) ended the trial, in the pruner's own words.
                  <TableRow className="bg-amber-50/60">
                    <TableCell colSpan={columnCount} className="whitespace-normal px-2 py-1.5 text-xs text-amber-800" data-testid={`trial-reason-${trial.number}`}>
                      {/* The pruner's reason already says when ("pruned at epoch 2: …"). */}
                      Trial #{trial.number}
                      {trial.state === "pruned" ? ": " : " stopped early: "}
                      {trial.stopReason}
                    </TableCell>
                  </TableRow>
                )}
                {openTrial === trial.id && (
                  <TableRow>
                    <TableCell colSpan={columnCount} className="whitespace-normal px-2">
                      <TrialEvaluationPanel trialId={trial.id} trialNumber={trial.number} />
                    </TableCell>
                  </TableRow>
                )}
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
