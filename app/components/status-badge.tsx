import { Badge } from "@tremor/react";
import type { SweepStatus, TrialState } from "@/server/sweeps/types";

type Color = "gray" | "slate" | "blue" | "amber" | "orange" | "red" | "emerald";

const SWEEP_COLORS: Record<SweepStatus, Color> = {
  queued: "gray",
  running: "blue",
  paused: "amber",
  stopped: "orange",
  failed: "red",
  finished: "emerald",
};

const TRIAL_COLORS: Record<TrialState, Color> = {
  waiting: "gray",
  running: "blue",
  complete: "emerald",
  pruned: "amber",
  failed: "red",
  // Cut short by its sweep's stop: neither a success nor a fault, so neutral (slate, apart from waiting's gray).
  stopped: "slate",
};

export function SweepStatusBadge({ status, testId }: { status: SweepStatus; testId?: string }) {
  return (
    <Badge color={SWEEP_COLORS[status] ?? "gray"} data-testid={testId} data-status={status}>
      {status}
    </Badge>
  );
}

export function TrialStateBadge({ state, title }: { state: TrialState; title?: string }) {
  return (
    <Badge color={TRIAL_COLORS[state] ?? "gray"} size="xs" title={title} data-state={state}>
      {state}
    </Badge>
  );
}
