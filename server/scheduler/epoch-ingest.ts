// Group commit for epoch reports. Reports that arrive while a write is in flight wait and are stored together in the
// next transaction, so under load one commit serves hundreds of reports, and when idle a report is written at once
// (no fixed delay). Each report is acknowledged only after its transaction committed.
import { RETRY_ERROR } from "../realtime/events";
import { permanentReportError } from "../realtime/report-errors";
import type { Publisher } from "../realtime/publisher";
import type { Ack, EpochReport } from "./report-types";
import type { ReportResult, TrialRow, TrialStore } from "./trial-store";

export interface EpochIngestDeps {
  trials: Pick<TrialStore, "recordEpochs">;
  publisher: Pick<Publisher, "epochRecorded">;
  /** The scheduler's hook, run once per newly stored epoch after the commit (never for a re-sent one). */
  epochStored: (workerId: string, trial: TrialRow, epoch: number) => Promise<void>;
  log?: (message: string) => void;
  /** Reports per transaction at most: bounds one statement's size and a batch's time holding its row locks. */
  maxBatch?: number;
  /** Unanswered reports one worker may have here; more are answered "retry" at once, so a worker that does not wait
   *  for its acks cannot grow the server's memory. */
  maxPerWorker?: number;
}

interface Pending {
  workerId: string;
  report: EpochReport;
  resolve: (ack: Ack) => void;
  reject: (error: Error) => void;
}

export class EpochIngest {
  private queue: Pending[] = [];
  private writing = false;
  private readonly unanswered = new Map<string, number>();

  constructor(private readonly deps: EpochIngestDeps) {}

  /** Resolves with the ack once the report is committed (or refused); rejects when the write failed, so the worker
   *  is told to retry. */
  submit(workerId: string, report: EpochReport): Promise<Ack> {
    const count = this.unanswered.get(workerId) ?? 0;
    if (count >= (this.deps.maxPerWorker ?? 512)) return Promise.resolve({ ok: false, error: RETRY_ERROR });
    this.unanswered.set(workerId, count + 1);
    const answered = () => {
      const left = this.unanswered.get(workerId)! - 1;
      if (left === 0) this.unanswered.delete(workerId);
      else this.unanswered.set(workerId, left);
    };
    return new Promise<Ack>((resolve, reject) => {
      this.queue.push({ workerId, report, resolve: (ack) => (answered(), resolve(ack)), reject: (error) => (answered(), reject(error)) });
      if (!this.writing) {
        this.writing = true;
        // One turn of the event loop lets reports already read from the sockets join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Writes batches until the queue is empty. One transaction at a time keeps each trial's epochs in order. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.deps.maxBatch ?? 2000);
      let results: ReportResult[];
      try {
        results = await this.deps.trials.recordEpochs(batch.map((p) => ({ holder: p.workerId, ...p.report })));
      } catch (error) {
        // One report the database can never store fails its whole transaction: each is then written alone, so
        // only that one is refused and the others are stored rather than retried forever with it.
        if (batch.length > 1 && permanentReportError(error)) await this.writeEachAlone(batch);
        else for (const p of batch) p.reject(error as Error);
        continue;
      }
      // In epoch order, so the scheduler's hook sees each trial's epochs as a sequential writer would have stored them.
      const order = batch.map((_, i) => i).sort((a, b) => batch[a].report.epoch - batch[b].report.epoch);
      for (const i of order) void this.afterCommit(batch[i], results[i]);
    }
    this.writing = false;
  }

  private async writeEachAlone(batch: Pending[]): Promise<void> {
    for (const p of batch) {
      try {
        const [result] = await this.deps.trials.recordEpochs([{ holder: p.workerId, ...p.report }]);
        await this.afterCommit(p, result);
      } catch (error) {
        p.reject(error as Error);
      }
    }
  }

  /** Publishes the epoch and runs the scheduler's hook (the pruning check), then acknowledges. The epoch is committed
   *  by now, so a failing hook is logged and the report still acknowledged: a retry would change nothing. */
  private async afterCommit(p: Pending, result: ReportResult): Promise<void> {
    if (!result.ok) return p.resolve({ ok: false, error: result.error });
    if (!result.duplicate) {
      const { trialId, epoch, metrics } = p.report;
      this.deps.publisher.epochRecorded(result.trial.sweepId, trialId, { epoch, metrics: { ...metrics } });
      try {
        await this.deps.epochStored(p.workerId, result.trial, epoch);
      } catch (error) {
        this.deps.log?.(`after storing epoch ${epoch} of trial ${trialId}: ${(error as Error).stack ?? error}`);
      }
    }
    p.resolve({ ok: true });
  }
}
