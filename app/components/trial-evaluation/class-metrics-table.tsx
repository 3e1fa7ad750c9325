import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import type { ClassificationReport } from "@/server/training/types";
import { classRows, type ClassRow } from "@/app/lib/trial-evaluation";
import { formatMetric } from "@/app/lib/format";

const cell = "px-2 py-1.5";
const numeric = `${cell} text-right tabular-nums`;

function Row({ row, strong }: { row: ClassRow; strong?: boolean }) {
  return (
    <TableRow className={strong ? "border-t-2 border-tremor-border font-semibold text-tremor-content-strong" : undefined}>
      <TableCell className={cell}>{row.name}</TableCell>
      <TableCell className={numeric}>{formatMetric(row.precision)}</TableCell>
      <TableCell className={numeric}>{formatMetric(row.recall)}</TableCell>
      <TableCell className={numeric}>{formatMetric(row.f1)}</TableCell>
      <TableCell className={numeric}>{row.support}</TableCell>
    </TableRow>
  );
}

/** scikit-learn's classification_report: precision, recall, F1 and support per class, then the macro average. */
export function ClassMetricsTable({ report, classNames }: { report: ClassificationReport; classNames: string[] }) {
  const { rows, macro } = classRows(report, classNames);
  return (
    <Table data-testid="class-metrics">
      <TableHead>
        <TableRow>
          <TableHeaderCell className={cell}>Class</TableHeaderCell>
          <TableHeaderCell className={numeric}>Precision</TableHeaderCell>
          <TableHeaderCell className={numeric}>Recall</TableHeaderCell>
          <TableHeaderCell className={numeric}>F1</TableHeaderCell>
          <TableHeaderCell className={numeric}>Support</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <Row key={row.name} row={row} />
        ))}
        <Row row={macro} strong />
      </TableBody>
    </Table>
  );
}
