// Pushes sweep and trial changes to the browsers watching a sweep (its Socket.IO room).
import type { Namespace } from "socket.io";
import { toTrialSummary, type SweepStore, type TrialRow } from "../sweeps/sweep-store";
import type { EpochRecord } from "../sweeps/types";
import { sweepRoom, type DashboardClientEvents, type DashboardServerEvents } from "./events";

export type DashboardNamespace = Namespace<DashboardClientEvents, DashboardServerEvents>;

export interface Publisher {
  sweepChanged(sweepId: string): Promise<void>;
  /** `row`: the trial as a write just returned it (trial-lifecycle.ts), sent without reading it again. Such a row
   *  has no promoted model yet: a trial is promoted only once complete, and a complete trial never moves again. */
  trialChanged(trialId: string, row?: TrialRow): Promise<void>;
  epochRecorded(sweepId: string, trialId: string, record: EpochRecord): void;
}

export function createPublisher(dashboard: DashboardNamespace, sweeps: SweepStore): Publisher {
  // Epochs recorded in one synchronous run (a group commit's results) go out as one "trial:epochs" per sweep.
  const pending = new Map<string, { trialId: string; record: EpochRecord }[]>();
  const flushEpochs = () => {
    for (const [sweepId, epochs] of pending) dashboard.to(sweepRoom(sweepId)).emit("trial:epochs", { sweepId, epochs });
    pending.clear();
  };
  return {
    async sweepChanged(sweepId) {
      const sweep = await sweeps.summary(sweepId);
      if (sweep) dashboard.to(sweepRoom(sweepId)).emit("sweep:updated", { sweep });
    },
    async trialChanged(trialId, row) {
      const trial = row ? toTrialSummary(row, null) : await sweeps.trialSummary(trialId);
      if (trial) dashboard.to(sweepRoom(trial.sweepId)).emit("trial:updated", { sweepId: trial.sweepId, trial });
    },
    epochRecorded(sweepId, trialId, record) {
      if (pending.size === 0) queueMicrotask(flushEpochs);
      const epochs = pending.get(sweepId) ?? [];
      if (epochs.length === 0) pending.set(sweepId, epochs);
      epochs.push({ trialId, record });
    },
  };
}
