// Heartbeats, group-committed: the renewals that arrive while one is written are written together next, in one
// statement, so however many workers beat at once the database sees one small update per turn (on PGlite's one
// connection that is what keeps heartbeats from queueing behind each other, and behind reads, one by one).
import type { TrialStore } from "./trial-store";

export interface LeaseRenewalsDeps {
  trials: Pick<TrialStore, "extendLeases">;
  /** The worker's trial is no longer held by it (finished, re-queued, stopped): the worker is told to stop. */
  lost: (workerId: string, trialId: string) => void;
  log?: (message: string) => void;
}

interface Pending {
  holder: string;
  done: (() => void)[];
}

export class LeaseRenewals {
  /** By trial: a second beat for a trial before its write shares the first one's. */
  private pending = new Map<string, Pending>();
  private writing = false;

  constructor(private readonly deps: LeaseRenewalsDeps) {}

  /** Resolves once the renewal was written (or failed: the next heartbeat tries again, well within the lease). */
  renew(trialId: string, holder: string): Promise<void> {
    return new Promise((resolve) => {
      const entry = this.pending.get(trialId);
      if (entry && entry.holder === holder) entry.done.push(resolve);
      else this.pending.set(trialId, { holder, done: [...(entry?.done ?? []), resolve] });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = this.pending;
      this.pending = new Map();
      try {
        const renewed = await this.deps.trials.extendLeases([...batch].map(([trialId, { holder }]) => ({ trialId, holder })));
        for (const [trialId, { holder }] of batch) if (!renewed.has(trialId)) this.deps.lost(holder, trialId);
      } catch (error) {
        this.deps.log?.(`renewing ${batch.size} leases failed: ${(error as Error).message}`);
      }
      for (const { done } of batch.values()) for (const resolve of done) resolve();
    }
    this.writing = false;
  }
}
