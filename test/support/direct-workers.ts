// Scheduler instances and worker agents in one process, without sockets: each "instance" is what one server
// process runs (its own database pool, trial store, worker registry and scheduler), and a DirectWorker speaks the
// agent protocol by calling the scheduler as the worker gateway would. For claim races, cache tests and the
// scheduler benchmark, where sockets and training would only add noise.
import type { ArtifactStore } from "../../server/artifacts/artifact-store";
import { DatabaseArtifactStore } from "../../server/artifacts/database-store";
import type { Database } from "../../server/db/client";
import type { Publisher } from "../../server/realtime/publisher";
import { Scheduler, type SchedulerDeps } from "../../server/scheduler/scheduler";
import { TrialCache } from "../../server/scheduler/trial-cache";
import { TrialStore } from "../../server/scheduler/trial-store";
import { WorkerRegistry, type WorkerHandle } from "../../server/scheduler/worker-registry";
import { parseSweepDocument } from "../../server/sweeps/sweep-document";
import { SweepStore } from "../../server/sweeps/sweep-store";
import type { TrainJob } from "../../server/training/types";
import { fakeEpoch, uploadFakeWeights } from "./reports";

/** Dashboard pushes cost database reads of their own; these tests have no browsers. */
export const SILENT_PUBLISHER: Publisher = { sweepChanged: async () => {}, trialChanged: async () => {}, epochRecorded: () => {} };

export interface SchedulerInstance {
  scheduler: Scheduler;
  trials: TrialStore;
  sweeps: SweepStore;
  workers: WorkerRegistry;
  cache: TrialCache;
  artifacts: ArtifactStore;
}

export function startInstance(
  db: Database,
  options: { leaseMs?: number; cache?: TrialCache; publisher?: Publisher; artifacts?: ArtifactStore; planningBatch?: SchedulerDeps["planningBatch"] } = {},
): SchedulerInstance {
  const trials = new TrialStore(db, options.leaseMs ?? 600_000);
  const sweeps = new SweepStore(db);
  const workers = new WorkerRegistry();
  const cache = options.cache ?? new TrialCache(db);
  // The database store works on PGlite too, and every instance on one database then shares it, as servers do.
  const artifacts = options.artifacts ?? new DatabaseArtifactStore(db);
  const publisher = options.publisher ?? SILENT_PUBLISHER;
  const scheduler = new Scheduler({ db, sweeps, trials, workers, publisher, trialCache: cache, artifacts, planningBatch: options.planningBatch });
  return { scheduler, trials, sweeps, workers, cache, artifacts };
}

/** Stores a sweep document (parsed with its defaults) and returns its id. */
export async function createSweep(sweeps: SweepStore, input: object): Promise<string> {
  const parsed = parseSweepDocument(input);
  if (!parsed.ok) throw new Error(`bad sweep document: ${JSON.stringify(parsed.errors)}`);
  return (await sweeps.create(parsed.document)).id;
}

export class DirectWorker {
  readonly handle: WorkerHandle;
  /** Trials the scheduler told this worker to stop (pruned, lost, sweep stopped). */
  readonly stopped = new Set<string>();
  private waiting: ((job: TrainJob | null) => void) | null = null;

  constructor(
    private readonly instance: SchedulerInstance,
    readonly id: string,
  ) {
    this.handle = {
      id,
      name: id,
      backend: "test",
      device: "cpu",
      memoryBytes: null,
      cores: 1,
      connectedAt: new Date(),
      busyWith: null,
      wantsWork: false,
      assign: (job) => this.deliver(job),
      stop: (trialId) => void this.stopped.add(trialId),
    };
    instance.workers.add(this.handle);
  }

  /** Says "idle" and waits for the next assignment; null once `close` is called. */
  nextJob(): Promise<TrainJob | null> {
    const job = new Promise<TrainJob | null>((resolve) => (this.waiting = resolve));
    void this.instance.scheduler.workerIdle(this.id);
    return job;
  }

  /** Stores one epoch as the worker gateway's ingest does (commit, then the scheduler's hook). */
  async epoch(job: TrainJob, epoch: number, valAccuracy: number): Promise<void> {
    const result = await this.instance.trials.recordEpoch(job.trialId, this.id, job.attempt, epoch, fakeEpoch(valAccuracy));
    if (!result.ok) throw new Error(result.error);
    if (!result.duplicate) await this.instance.scheduler.epochStored(this.id, result.trial, epoch);
  }

  async complete(job: TrainJob): Promise<void> {
    const artifact = await uploadFakeWeights(this.instance.artifacts);
    const ack = await this.instance.scheduler.completeTrial(this.id, { trialId: job.trialId, attempt: job.attempt, testMetrics: { test_loss: 0.4, test_accuracy: 0.6 }, artifact });
    if (!ack.ok) throw new Error(ack.error);
  }

  close(): void {
    this.instance.workers.remove(this.handle);
    this.deliver(null);
  }

  private deliver(job: TrainJob | null): void {
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.(job);
  }
}
