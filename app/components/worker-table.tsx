import { Badge, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text } from "@tremor/react";
import type { WorkerSummary } from "@/server/sweeps/types";

const GIB = 1024 ** 3;

function formatMemory(bytes: number | null): string {
  return bytes === null ? "—" : `${(bytes / GIB).toFixed(bytes >= 10 * GIB ? 0 : 1)} GiB`;
}

/** The connected workers: what each trains on (backend, device, memory, cores) and whether it is busy. */
export function WorkerTable({ workers }: { workers: WorkerSummary[] }) {
  if (!workers.length) {
    return <Text className="mt-4">No workers connected. Local workers start with the server; remote ones with `sweepboard worker`.</Text>;
  }
  return (
    <Table className="mt-4">
      <TableHead>
        <TableRow>
          <TableHeaderCell>Worker</TableHeaderCell>
          <TableHeaderCell>Backend</TableHeaderCell>
          <TableHeaderCell>Device</TableHeaderCell>
          <TableHeaderCell className="text-right">Memory</TableHeaderCell>
          <TableHeaderCell className="text-right">Cores</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {workers.map((worker) => (
          <TableRow key={worker.id} data-testid={`worker-row-${worker.name}`}>
            <TableCell className="font-medium text-tremor-content-strong">{worker.name}</TableCell>
            <TableCell>{worker.backend}</TableCell>
            <TableCell>{worker.device}</TableCell>
            <TableCell className="text-right tabular-nums">{formatMemory(worker.memoryBytes)}</TableCell>
            <TableCell className="text-right tabular-nums">{worker.cores ?? "—"}</TableCell>
            <TableCell>{worker.busyWith ? <Badge color="blue">training</Badge> : <Badge color="gray">idle</Badge>}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
