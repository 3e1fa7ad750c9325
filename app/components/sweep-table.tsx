import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text } from "@tremor/react";
import type { SweepSummary } from "@/server/sweeps/types";
import { formatDate, formatMetric } from "@/app/lib/format";
import { finishedCount } from "@/app/lib/trial-states";
import { sweepPageUrl } from "@/app/lib/urls";
import { SweepStatusBadge } from "./status-badge";

const finishedTrials = (sweep: SweepSummary) => finishedCount(sweep.trialCounts);

export function SweepTable({ sweeps }: { sweeps: SweepSummary[] }) {
  if (!sweeps.length) return <Text className="mt-4">No sweeps yet. Create one to start searching.</Text>;
  return (
    <Table className="mt-4">
      <TableHead>
        <TableRow>
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell className="text-right">Trials done / total</TableHeaderCell>
          <TableHeaderCell>Metric</TableHeaderCell>
          <TableHeaderCell className="text-right">Best value</TableHeaderCell>
          <TableHeaderCell>Created</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {sweeps.map((sweep) => (
          <TableRow key={sweep.id} data-testid={`sweep-row-${sweep.id}`}>
            <TableCell>
              <Link href={sweepPageUrl(sweep.id)} className="font-medium text-tremor-brand hover:underline">
                {sweep.name}
              </Link>
            </TableCell>
            <TableCell>
              <SweepStatusBadge status={sweep.status} />
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {finishedTrials(sweep)} / {sweep.document.budget.max_trials}
            </TableCell>
            <TableCell>
              {sweep.metric.name} <span className="text-tremor-content-subtle">({sweep.metric.goal})</span>
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatMetric(sweep.bestValue)}</TableCell>
            <TableCell>{formatDate(sweep.createdAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
