import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text } from "@tremor/react";
import Link from "next/link";
import type { ModelSummary } from "@/server/sweeps/types";
import { formatDate, formatMetric } from "@/app/lib/format";
import { modelDownloadUrl, sweepPageUrl } from "@/app/lib/urls";
import { LinkButton } from "./link-button";

export function ModelTable({ models }: { models: ModelSummary[] }) {
  if (!models.length) return <Text className="mt-4">No promoted models yet. Promote a complete trial from its sweep page.</Text>;
  return (
    <Table className="mt-4">
      <TableHead>
        <TableRow>
          <TableHeaderCell>Model</TableHeaderCell>
          <TableHeaderCell className="text-right">Version</TableHeaderCell>
          <TableHeaderCell className="text-right">test_accuracy</TableHeaderCell>
          <TableHeaderCell className="text-right">val_accuracy</TableHeaderCell>
          <TableHeaderCell>Sweep</TableHeaderCell>
          <TableHeaderCell>Promoted</TableHeaderCell>
          <TableHeaderCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {models.map((model) => (
          <TableRow key={model.id} data-testid={`model-row-${model.id}`}>
            <TableCell className="font-medium text-tremor-content-strong">{model.name}</TableCell>
            <TableCell className="text-right tabular-nums">v{model.version}</TableCell>
            <TableCell className="text-right tabular-nums">{formatMetric(model.metrics.test_accuracy)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatMetric(model.metrics.val_accuracy)}</TableCell>
            <TableCell>
              <Link href={sweepPageUrl(model.sweepId)} className="text-tremor-brand hover:underline">
                open sweep
              </Link>
            </TableCell>
            <TableCell>{formatDate(model.createdAt)}</TableCell>
            <TableCell className="text-right">
              <LinkButton href={modelDownloadUrl(model.id)} download variant="secondary" testId={`model-download-${model.id}`}>
                Download .zip
              </LinkButton>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
