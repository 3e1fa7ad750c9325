// Applies what workers report about the trials they hold: each stored epoch (and the pruner's decision on it),
// the end of an attempt (complete, failed, or killed: re-queued), and heartbeats (lease renewals). Every write
// goes through the trial lifecycle; a report that changes what planning decides from asks for that sweep's plan.
import type { ArtifactStore } from "../artifacts/artifact-store";
import { LeaseRenewals } from "./lease-renewals";
import { toAck, type Ack, type CompleteReport, type FailedReport } from "./report-types";
import type { SweepRuntimes } from "./sweep-runtime";
import type { TrialLifecycle } from "./trial-lifecycle";
import type { ReportResult, TrialRow, TrialStore } from "./trial-store";
import type { WorkerRegistry } from "./worker-registry";

export interface ReportHandlerDeps {
  trials: Pick<TrialStore, "extendLeases">;
  workers: WorkerRegistry;
  /** Where completed trials' weights were uploaded; a completion is accepted only once its blob is there. */
  artifacts: ArtifactStore;
  lifecycle: TrialLifecycle;
  runtimes: SweepRuntimes;
  /** The sweep's planning inputs changed (a trial ended): plan it soon. */
  planSoon: (sweepId: string) => void;
  log?: (message: string) => void;
}

export class ReportHandler {
  private readonly leases: LeaseRenewals;

  constructor(private readonly deps: ReportHandlerDeps) {
    this.leases = new LeaseRenewals({
      trials: deps.trials,
      lost: (workerId, trialId) => deps.workers.get(workerId)?.stop(trialId, "the trial is no longer held by this worker"),
      log: deps.log,
    });
  }

  /** Runs after an epoch report is committed (by the group commit in epoch-ingest.ts), once per stored epoch and
   *  before the worker's ack: `trial` is the row as updated by that epoch. A "prune" ends the trial here and stops
   *  its worker. */
  async epochStored(workerId: string, trial: TrialRow, epoch: number): Promise<void> {
    this.deps.lifecycle.epochStored(trial, epoch);
    const reason = await (await this.deps.runtimes.of(trial.sweepId)).pruneReason(trial, epoch);
    if (reason !== null && (await this.deps.lifecycle.prune(workerId, trial, reason))) this.deps.planSoon(trial.sweepId);
  }

  async completeTrial(workerId: string, r: CompleteReport): Promise<Ack> {
    const { sha256, bytes } = r.artifact.weights;
    const stored = await this.deps.artifacts.stat(sha256);
    if (!stored) return { ok: false, error: `the weights ${sha256} were not uploaded (PUT /api/worker/artifacts/${sha256} first)` };
    if (stored.bytes !== bytes) return { ok: false, error: `the weights ${sha256} are ${stored.bytes} bytes, not the reported ${bytes}` };
    const args = [r.trialId, workerId, r.attempt, r.testMetrics, r.artifact, r.stopReason, r.evaluation] as const;
    return this.afterFinish(await this.deps.lifecycle.report(workerId, { kind: "complete", args: [...args] }));
  }

  async failTrial(workerId: string, r: FailedReport): Promise<Ack> {
    const kind = r.kind === "killed" ? "killed" : "failed";
    return this.afterFinish(await this.deps.lifecycle.report(workerId, { kind, trialId: r.trialId, attempt: r.attempt, error: r.error }));
  }

  /** Renews the worker's lease on the trial (group-committed with other heartbeats); a worker that no longer holds
   *  the trial is told to stop it. */
  heartbeat(workerId: string, trialId: string): Promise<void> {
    return this.leases.renew(trialId, workerId);
  }

  private afterFinish(result: ReportResult): Ack {
    if (result.ok) this.deps.planSoon(result.trial.sweepId);
    return toAck(result);
  }
}
