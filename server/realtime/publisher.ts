// Pushes sweep and trial changes to the browsers watching a sweep (its Socket.IO room).
import type { Namespace } from "socket.io";
import type { SweepStore } from "../sweeps/sweep-store";
import type { EpochRecord } from "../sweeps/types";
import { sweepRoom, type DashboardClientEvents, type DashboardServerEvents } from "./events";

export type DashboardNamespace = Namespace<DashboardClientEvents, DashboardServerEvents>;

export interface Publisher {
  sweepChanged(sweepId: string): Promise<void>;
  trialChanged(trialId: string): Promise<void>;
  epochRecorded(sweepId: string, trialId: string, record: EpochRecord): void;
}

export function createPublisher(dashboard: DashboardNamespace, sweeps: SweepStore): Publisher {
  return {
    async sweepChanged(sweepId) {
      const sweep = await sweeps.summary(sweepId);
      if (sweep) dashboard.to(sweepRoom(sweepId)).emit("sweep:updated", { sweep });
    },
    async trialChanged(trialId) {
      const trial = await sweeps.trialSummary(trialId);
      if (trial) dashboard.to(sweepRoom(trial.sweepId)).emit("trial:updated", { sweepId: trial.sweepId, trial });
    },
    epochRecorded(sweepId, trialId, record) {
      dashboard.to(sweepRoom(sweepId)).emit("trial:epoch", { sweepId, trialId, record });
    },
  };
}
