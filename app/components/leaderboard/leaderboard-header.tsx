"use client";
// The leaderboard's sticky header: every sortable column is a button asking the server for that order; the active
// one shows its direction, and clicking it again flips it.
import { Fragment, memo } from "react";
import type { LeaderboardQuery } from "@/app/lib/leaderboard-cache";
import { CELL, type Column } from "./columns";

/** "learning_rate" with a line-break opportunity after each underscore, so a dozen columns fit a laptop. */
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

interface HeaderProps {
  columns: Column[];
  query: LeaderboardQuery;
  onSort(sortKey: string): void;
}

export const LeaderboardHeader = memo(function LeaderboardHeader({ columns, query, onSort }: HeaderProps) {
  return (
    <thead className="sticky top-0 z-10 bg-tremor-background shadow-[0_1px_0] shadow-tremor-border dark:bg-dark-tremor-background dark:shadow-dark-tremor-border">
      <tr>
        {columns.map((column) => {
          const active = column.sortKey !== null && column.sortKey === query.sort;
          const align = column.numeric ? "text-right" : "text-left";
          const tone = column.emphasis ? "text-tremor-content-strong dark:text-dark-tremor-content-strong" : "text-tremor-content dark:text-dark-tremor-content";
          return (
            <th
              key={column.id}
              scope="col"
              className={`${CELL} whitespace-normal align-bottom font-semibold ${align} ${tone} ${column.id === "model" ? "pl-4" : ""}`}
              aria-sort={active ? (query.order === "asc" ? "ascending" : "descending") : undefined}
            >
              {column.sortKey === null ? (
                column.label
              ) : (
                <button
                  type="button"
                  className={`inline-flex items-end gap-0.5 rounded hover:text-tremor-brand focus-visible:outline focus-visible:outline-2 focus-visible:outline-tremor-brand dark:hover:text-dark-tremor-brand ${align} ${active ? "text-tremor-brand dark:text-dark-tremor-brand" : ""}`}
                  data-sort-key={column.sortKey}
                  onClick={() => onSort(column.sortKey!)}
                  title={`Sort by ${column.label}`}
                >
                  <span>
                    <ColumnName name={column.label} />
                  </span>
                  <span aria-hidden className={`w-2.5 shrink-0 text-[0.65rem] ${active ? "" : "invisible"}`}>
                    {active && query.order === "desc" ? "▼" : "▲"}
                  </span>
                </button>
              )}
            </th>
          );
        })}
      </tr>
    </thead>
  );
});
