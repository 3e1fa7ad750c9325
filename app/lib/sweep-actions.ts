// Which of pause / resume / stop a sweep in a given status offers (the server enforces the same moves).
import type { SweepAction } from "@/server/scheduler/sweep-control";
import type { SweepStatus } from "@/server/sweeps/types";

export function sweepActions(status: SweepStatus): SweepAction[] {
  if (status === "queued" || status === "running") return ["pause", "stop"];
  if (status === "paused") return ["resume", "stop"];
  return [];
}

export const ACTION_LABELS: Record<SweepAction, string> = { pause: "Pause", resume: "Resume", stop: "Stop" };

/** Whether a sweep's budget may still be edited (the server refuses edits once it has ended). */
export function canEditBudget(status: SweepStatus): boolean {
  return status === "queued" || status === "running" || status === "paused";
}
