"use client";
// One trial of the virtual leaderboard: its row, and below it the stop reason, the error and the opened evaluation,
// all in one <tbody> so the virtualizer measures them as one item of variable height.
import { Button } from "@tremor/react";
import { memo, type Ref } from "react";
import { formatMetric, formatParam } from "@/app/lib/format";
import type { TrialRow } from "@/app/lib/trial-merge";
import { PromoteControl } from "../promote-control";
import { TrialStateBadge } from "../status-badge";
import { TrialEvaluationPanel } from "../trial-evaluation/trial-evaluation-panel";
import { CELL, NUMERIC, type Column } from "./columns";

export interface RowProps {
  ref?: Ref<HTMLTableSectionElement>;
  index: number;
  row: TrialRow;
  columns: Column[];
  open: boolean;
  /** The colour of the trial's line when it is on the chart. */
  lineColor: string | null;
  plotted: boolean;
  canPlot: boolean;
  onToggleOpen(trialId: string): void;
  onTogglePlot(trialId: string, plotted: boolean): void;
  onPromoted(trialId: string, modelId: string): void;
}

export const LeaderboardRow = memo(function LeaderboardRow({ ref, index, row, columns, open, lineColor, plotted, canPlot, onToggleOpen, onTogglePlot, onPromoted }: RowProps) {
  const span = columns.length;
  return (
    <tbody ref={ref} data-index={index} className="border-b border-tremor-border dark:border-dark-tremor-border">
      <tr data-testid={`trial-row-${row.number}`} data-state={row.state} data-rank={row.rank ?? ""} className="hover:bg-tremor-background-muted dark:hover:bg-dark-tremor-background-muted">
        {columns.map((column) => (
          <Cell key={column.id} column={column} row={row} {...{ open, lineColor, plotted, canPlot, onToggleOpen, onTogglePlot, onPromoted }} />
        ))}
      </tr>
      {row.stopReason && (
        // Why the pruner (or early stopping, or a stop) ended the trial, in its own words.
        <tr className="bg-amber-50/60 dark:bg-amber-950/30">
          <td colSpan={span} className="whitespace-normal px-2 py-1.5 text-xs text-amber-800 dark:text-amber-300" data-testid={`trial-reason-${row.number}`}>
            {/* The pruner's reason already says when ("pruned at epoch 2: …"). */}
            Trial #{row.number}
            {row.state === "pruned" ? ": " : " stopped early: "}
            {row.stopReason}
          </td>
        </tr>
      )}
      {open && (
        <tr>
          <td colSpan={span} className="whitespace-normal px-2">
            <TrialEvaluationPanel trialId={row.id} trialNumber={row.number} />
          </td>
        </tr>
      )}
      {row.error && (
        // A row of its own, so long messages do not squeeze the metric columns.
        <tr className="bg-red-50/50 dark:bg-red-950/30">
          <td colSpan={span} className="whitespace-normal px-2 py-2 text-xs text-red-700 dark:text-red-300" data-testid={`trial-error-${row.number}`}>
            Trial #{row.number} {row.state}: {row.error}
          </td>
        </tr>
      )}
    </tbody>
  );
});

type CellProps = Omit<RowProps, "ref" | "index" | "columns"> & { column: Column };

function Cell({ column, row, open, lineColor, plotted, canPlot, onToggleOpen, onTogglePlot, onPromoted }: CellProps) {
  const strong = "font-medium text-tremor-content-strong dark:text-dark-tremor-content-strong";
  switch (column.id) {
    case "plot":
      return (
        <td className={`${CELL} text-center`}>
          <label className="inline-flex cursor-pointer items-center gap-1 align-middle" title={plotted ? "Remove from the chart" : canPlot ? "Add to the chart" : "At most 20 trials can be added"}>
            <input
              type="checkbox"
              className="h-3.5 w-3.5 accent-blue-500"
              checked={plotted}
              disabled={!plotted && !canPlot}
              onChange={(e) => onTogglePlot(row.id, e.target.checked)}
              aria-label={`plot trial ${row.number}`}
              data-testid={`plot-${row.number}`}
            />
            <span className="inline-block h-2.5 w-1 rounded-sm" style={{ background: lineColor ?? "transparent" }} aria-hidden />
          </label>
        </td>
      );
    case "rank":
      return <td className={NUMERIC}>{row.rank ?? "—"}</td>;
    case "number":
      return <td className={`${NUMERIC} ${strong}`}>#{row.number}</td>;
    case "state":
      return (
        <td className={`${CELL} whitespace-nowrap`}>
          <TrialStateBadge state={row.state} title={row.stopReason ?? undefined} />
          {/* A re-queued trial (its worker was lost) runs again: say which run this is. */}
          {row.attempt > 0 && (
            <span className="ml-1 text-tremor-label text-tremor-content dark:text-dark-tremor-content" data-testid={`trial-attempt-${row.number}`}>
              run {row.attempt + 1}
            </span>
          )}
        </td>
      );
    case "epochs":
      return (
        <td className={NUMERIC} data-testid={`trial-epochs-${row.number}`}>
          {row.epochs || "—"}
        </td>
      );
    case "value":
      // An unranked value (pruned, failed) is shown, but not in the weight of a result.
      return (
        <td
          className={`${NUMERIC} ${row.rank === null ? "text-tremor-content dark:text-dark-tremor-content" : "font-semibold text-tremor-content-strong dark:text-dark-tremor-content-strong"}`}
          data-testid={`trial-metric-${row.number}`}
        >
          {formatMetric(row.value)}
        </td>
      );
    case "model":
      return (
        <td className={`${CELL} pl-4`}>
          <div className="flex items-center gap-1">
            <PromoteControl trial={row} onPromoted={onPromoted} />
            {row.state === "complete" && (
              <Button size="xs" variant="light" onClick={() => onToggleOpen(row.id)} aria-expanded={open} data-testid={`details-${row.number}`}>
                {open ? "Hide" : "Details"}
              </Button>
            )}
          </div>
        </td>
      );
    default: {
      const [kind, name] = [column.id.slice(0, column.id.indexOf(":")), column.id.slice(column.id.indexOf(":") + 1)];
      return <td className={NUMERIC}>{kind === "param" ? formatParam(row.params[name]) : formatMetric(row.metrics[name])}</td>;
    }
  }
}
