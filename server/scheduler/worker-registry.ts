// The workers connected right now (local pool and remote boxes alike) and what each is doing.
import type { WorkerSummary } from "../sweeps/types";
import type { TrainJob } from "../training/types";

/** What the API shows of a worker (WorkerSummary), live: the connection time as a Date, plus its socket's controls. */
export interface WorkerHandle extends Omit<WorkerSummary, "connectedAt"> {
  connectedAt: Date;
  /** Set by the worker's own "idle" message and cleared by an assignment: each request gets at most one trial,
   *  so a trial is never sent to a worker that is still busy with another. */
  wantsWork: boolean;
  assign(job: TrainJob): void;
  /** `keepModel`: ask for the model trained so far (a sweep's stop), rather than dropping it. */
  stop(trialId: string, reason: string, options?: { keepModel?: boolean }): void;
}

/** Whether a worker's advertised backend trains on a GPU ("webgpu", "tensorflow (gpu)"). */
export function isGpuBackend(backend: string): boolean {
  return backend === "webgpu" || backend.endsWith("(gpu)");
}

export class WorkerRegistry {
  private readonly workers = new Map<string, WorkerHandle>();

  add(worker: WorkerHandle): void {
    this.workers.set(worker.id, worker);
  }

  /** Removes the worker only if `handle` is still the registered one (a reconnect may have replaced it). */
  remove(handle: WorkerHandle): void {
    if (this.workers.get(handle.id) === handle) this.workers.delete(handle.id);
  }

  get(id: string): WorkerHandle | undefined {
    return this.workers.get(id);
  }

  /** Workers that asked for a trial and have not been given one yet. */
  waitingForWork(): WorkerHandle[] {
    return [...this.workers.values()].filter((w) => w.wantsWork);
  }

  list(): WorkerHandle[] {
    return [...this.workers.values()];
  }

  count(): number {
    return this.workers.size;
  }
}
