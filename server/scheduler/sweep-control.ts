// Pause, resume and stop: the user's controls over a sweep. Pausing stops new trials from starting (running ones
// finish); stopping also ends the trials still waiting or running (as "stopped"), telling their workers to stop.
// Status moves are checked against the sweep status table and guarded by the statuses each action starts from
// (sweep-status.ts), so a control and a planning pass never overwrite each other.
import { AppError } from "../errors";
import type { Publisher } from "../realtime/publisher";
import { applyBudgetPatch, type BudgetPatch } from "../sweeps/budget-edit";
import type { SweepStore } from "../sweeps/sweep-store";
import type { SweepStatus } from "../sweeps/types";
import type { TrialLifecycle } from "./trial-lifecycle";

export const SWEEP_ACTIONS = ["pause", "resume", "stop"] as const;
export type SweepAction = (typeof SWEEP_ACTIONS)[number];

const MOVES: Record<SweepAction, { from: SweepStatus[]; to: SweepStatus }> = {
  pause: { from: ["queued", "running"], to: "paused" },
  resume: { from: ["paused"], to: "running" },
  stop: { from: ["queued", "running", "paused"], to: "stopped" },
};

export { STOPPED_BY_SWEEP } from "./trial-lifecycle";

/** The statuses in which a sweep's budget may still change. */
const EDITABLE: SweepStatus[] = ["queued", "running", "paused"];

/** Applies a live budget edit and lets the scheduler act on it now (start more trials, or finish). */
export async function editSweepBudget(
  deps: { sweeps: SweepStore; publisher: Publisher; requestTick: (sweepId: string) => Promise<void> },
  sweepId: string,
  patch: BudgetPatch,
): Promise<void> {
  const current = await deps.sweeps.get(sweepId);
  if (!current) throw new AppError("not_found", "sweep not found");
  if (!EDITABLE.includes(current.status as SweepStatus)) throw new AppError("conflict", `cannot edit the budget of a sweep that is ${current.status}`);
  const budget = applyBudgetPatch(current.document.budget, patch);
  if (!(await deps.sweeps.updateBudget(sweepId, budget, EDITABLE))) {
    throw new AppError("conflict", "the sweep ended while its budget was being edited");
  }
  await deps.publisher.sweepChanged(sweepId);
  void deps.requestTick(sweepId);
}

/** `requestTick` plans this sweep only (and serves workers a stop freed). */
export async function controlSweep(
  deps: { sweeps: SweepStore; trials: Pick<TrialLifecycle, "stopSweep">; publisher: Publisher; requestTick: (sweepId: string) => Promise<void> },
  sweepId: string,
  action: SweepAction,
): Promise<void> {
  const move = MOVES[action];
  const sweep = await deps.sweeps.transition(sweepId, move.from, move.to);
  if (!sweep) {
    const current = await deps.sweeps.get(sweepId);
    if (!current) throw new AppError("not_found", "sweep not found");
    throw new AppError("conflict", `cannot ${action} a sweep that is ${current.status}`);
  }
  // One statement for all of them; a trial that finished meanwhile is not among the rows and keeps its outcome.
  if (action === "stop") await deps.trials.stopSweep(sweepId);
  await deps.publisher.sweepChanged(sweepId);
  void deps.requestTick(sweepId);
}
