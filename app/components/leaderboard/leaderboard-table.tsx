"use client";
// The virtual leaderboard: one fixed-layout table in a fixed-height scroll container; only the rows near the
// viewport are in the DOM, with spacers above and below standing in for the rest. Rows not loaded yet show a
// placeholder until their page arrives.
import { useCallback, useState } from "react";
import { rowAt, type BoardState } from "@/app/lib/leaderboard-cache";
import { MAX_SELECTED } from "@/app/lib/sweep-state";
import type { Column } from "./columns";
import { LeaderboardHeader } from "./leaderboard-header";
import { LeaderboardRow } from "./leaderboard-row";
import { ROW_ESTIMATE, useVirtualRows } from "./use-virtual-rows";

interface TableProps {
  board: BoardState;
  columns: Column[];
  selected: readonly string[];
  lineColors: ReadonlyMap<string, string>;
  onRange(start: number, end: number): void;
  onSort(sortKey: string): void;
  onTogglePlot(trialId: string, plotted: boolean): void;
  onPromoted(trialId: string, modelId: string): void;
}

export function LeaderboardTable({ board, columns, selected, lineColors, onRange, onSort, onTogglePlot, onPromoted }: TableProps) {
  // The trial whose evaluation (confusion matrix, per-class metrics, samples) is open below its row.
  const [openTrial, setOpenTrial] = useState<string | null>(null);
  const toggleOpen = useCallback((trialId: string) => setOpenTrial((open) => (open === trialId ? null : trialId)), []);
  const keyOf = useCallback((index: number) => rowAt(board, index)?.id ?? `slot-${index}`, [board]);
  const { scrollRef, virtualizer, items, paddingTop, paddingBottom } = useVirtualRows({ count: board.total ?? 0, keyOf, onRange, resetKey: board.key });
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  const canPlot = selected.length < MAX_SELECTED;
  const spacer = (height: number, key: string) =>
    height > 0 && (
      <tbody key={key} aria-hidden>
        <tr style={{ height }}>
          <td colSpan={columns.length} />
        </tr>
      </tbody>
    );

  return (
    <div
      ref={scrollRef}
      className="mt-4 h-[34rem] max-h-[75vh] overflow-auto rounded-tremor-default border border-tremor-border dark:border-dark-tremor-border"
      data-testid="leaderboard-scroll"
    >
      <table className="table-fixed border-collapse text-sm text-tremor-content dark:text-dark-tremor-content" style={{ width: `max(100%, ${width}rem)` }}>
        <colgroup>
          {columns.map((c) => (
            <col key={c.id} style={{ width: `${c.width}rem` }} />
          ))}
        </colgroup>
        <LeaderboardHeader columns={columns} query={board.query} onSort={onSort} />
        {spacer(paddingTop, "top")}
        {items.map((item) => {
          const row = rowAt(board, item.index);
          if (!row) {
            return (
              <tbody key={item.key} ref={virtualizer.measureElement} data-index={item.index} aria-busy>
                <tr style={{ height: ROW_ESTIMATE }}>
                  <td colSpan={columns.length} className="px-2">
                    <div className="h-3 w-1/3 animate-pulse rounded bg-tremor-background-subtle dark:bg-dark-tremor-background-subtle" />
                  </td>
                </tr>
              </tbody>
            );
          }
          return (
            <LeaderboardRow
              key={item.key}
              ref={virtualizer.measureElement}
              index={item.index}
              row={row}
              columns={columns}
              open={openTrial === row.id}
              lineColor={lineColors.get(row.id) ?? null}
              plotted={selected.includes(row.id)}
              canPlot={canPlot}
              onToggleOpen={toggleOpen}
              onTogglePlot={onTogglePlot}
              onPromoted={onPromoted}
            />
          );
        })}
        {spacer(paddingBottom, "bottom")}
      </table>
    </div>
  );
}
