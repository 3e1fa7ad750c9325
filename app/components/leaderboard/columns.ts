// The leaderboard's columns: what each shows, the server sort key its header asks for, and its width (the table
// is fixed-layout, so widths do not jump as the virtual rows change while scrolling).
import type { ParameterColumns } from "@/app/lib/sweep-view";

export interface Column {
  id: string;
  label: string;
  /** The `sort` of GET /api/sweeps/:id/trials; null: not sortable. */
  sortKey: string | null;
  numeric: boolean;
  /** rem */
  width: number;
  emphasis?: boolean;
}

/** Validation metrics the user reads next to the sweep metric (the sweep metric itself is not repeated). */
export function secondaryMetrics(metric: string): string[] {
  return ["val_accuracy", "val_loss"].filter((m) => m !== metric);
}

export function leaderboardColumns(metric: string, parameters: ParameterColumns, showTest: boolean): Column[] {
  const metricColumn = (name: string): Column => ({ id: `metric:${name}`, label: name, sortKey: `metric:${name}`, numeric: true, width: 5.5 });
  return [
    { id: "plot", label: "Plot", sortKey: null, numeric: false, width: 3 },
    { id: "rank", label: "Rank", sortKey: "rank", numeric: true, width: 4 },
    { id: "number", label: "Trial", sortKey: "number", numeric: true, width: 4.5 },
    { id: "state", label: "State", sortKey: "state", numeric: false, width: 7.5 },
    { id: "epochs", label: "Epoch", sortKey: "epochs", numeric: true, width: 4.5 },
    { id: "value", label: metric, sortKey: "value", numeric: true, width: 6, emphasis: true },
    ...secondaryMetrics(metric).map(metricColumn),
    ...(showTest && metric !== "test_accuracy" ? [metricColumn("test_accuracy")] : []),
    ...parameters.swept.map((p): Column => ({ id: `param:${p}`, label: p, sortKey: `param:${p}`, numeric: true, width: 5.5 })),
    { id: "model", label: "Model", sortKey: null, numeric: false, width: 12.5 },
  ];
}

// Tremor's cells are roomy (p-4); a leaderboard with a column per parameter needs them tighter.
export const CELL = "px-2 py-2.5";
export const NUMERIC = `${CELL} text-right tabular-nums`;
