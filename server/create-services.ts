// Wires the stores, the scheduler and the registry into the Services the HTTP layer calls.
import type { Database, DatabaseKind } from "./db/client";
import { AppError } from "./errors";
import { isUuid, type ModelRegistry } from "./models/model-registry";
import type { Publisher } from "./realtime/publisher";
import type { Scheduler } from "./scheduler/scheduler";
import { controlSweep, editSweepBudget, SWEEP_ACTIONS, type SweepAction } from "./scheduler/sweep-control";
import { parseBudgetEdit } from "./sweeps/budget-edit";
import type { TrialStore } from "./scheduler/trial-store";
import type { WorkerRegistry } from "./scheduler/worker-registry";
import type { Services } from "./services";
import type { AuthService } from "./auth/auth-service";
import { processEventLoopMonitor } from "./event-loop-monitor";
import { datasetContentIssues } from "./sweeps/dataset-document";
import { logExcerpt } from "./sweeps/input-limits";
import { parseSweepDocument } from "./sweeps/sweep-document";
import { AnalysisCache } from "./sweeps/sweep-analysis";
import { sweepChanges } from "./sweeps/sweep-changes";
import { SweepReads } from "./sweeps/sweep-reads";
import type { SweepStore } from "./sweeps/sweep-store";

export function createServices(deps: {
  db: DatabaseKind;
  database: Database;
  trials: TrialStore;
  sweeps: SweepStore;
  models: ModelRegistry;
  scheduler: Scheduler;
  workers: WorkerRegistry;
  publisher: Publisher;
  auth: AuthService;
  log?: (message: string) => void;
}): Services {
  const log = deps.log ?? (() => {});
  const { sweeps, models, scheduler, workers, publisher } = deps;
  const eventLoop = processEventLoopMonitor(log);
  // Per-process caches of per-sweep results (envelopes, analyses), keyed by sweep version.
  const reads = new SweepReads(deps.database, sweeps);
  const analyses = new AnalysisCache(deps.database);
  return {
    db: deps.db,
    sweeps: {
      async create(input) {
        const parsed = parseSweepDocument(input);
        if (!parsed.ok) {
          // Enough to recognise the document, never all of it (nor a secret-looking field).
          log(`sweep document refused (${parsed.errors[0]?.path || "body"}: ${parsed.errors[0]?.message ?? "invalid"}): ${logExcerpt(input)}`);
          return parsed;
        }
        const dataIssues = await datasetContentIssues(parsed.document.dataset);
        if (dataIssues.length) return { ok: false, errors: dataIssues };
        const sweep = await sweeps.create(parsed.document);
        // Plans this sweep only: a pass over every active sweep per create made creates slow at 1,000 sweeps.
        void scheduler.requestTick(sweep.id);
        return { ok: true, id: sweep.id };
      },
      list: () => sweeps.list(),
      get: (id, query) => reads.snapshot(id, query),
      trials: (id, query) => reads.trials(id, query),
      curves: (id, query) => reads.curves(id, query),
      async control(id, action) {
        if (!(SWEEP_ACTIONS as readonly string[]).includes(action)) throw new AppError("not_found", `unknown action ${action}`);
        if (!isUuid(id)) throw new AppError("not_found", "sweep not found");
        await controlSweep({ sweeps, trials: scheduler.lifecycle, publisher, requestTick: (sweepId) => scheduler.requestTick(sweepId) }, id, action as SweepAction);
        return (await sweeps.summary(id))!;
      },
      async editBudget(id, input) {
        if (!isUuid(id)) throw new AppError("not_found", "sweep not found");
        const patch = parseBudgetEdit(input);
        await editSweepBudget({ sweeps, publisher, requestTick: (sweepId) => scheduler.requestTick(sweepId) }, id, patch);
        return (await sweeps.summary(id))!;
      },
      async analysis(id) {
        const sweep = isUuid(id) ? await sweeps.get(id) : null;
        if (!sweep) throw new AppError("not_found", "sweep not found");
        return analyses.get(sweep);
      },
      changes: (id, since, trials) => sweepChanges(deps.database, sweeps, id, since, trials ?? null),
    },
    models: {
      async promote(trialId) {
        const result = await models.promote(trialId);
        await publisher.trialChanged(trialId);
        return result;
      },
      list: () => models.list(),
      download: (modelId) => models.download(modelId),
    },
    trials: {
      async evaluation(trialId) {
        const found = isUuid(trialId) ? await deps.trials.evaluation(trialId) : null;
        if (!found) throw new AppError("not_found", "trial not found");
        if (!found.evaluation) throw new AppError("not_found", "this trial has no evaluation (it has not completed)");
        return found.evaluation;
      },
    },
    workers: {
      connected: () => workers.count(),
      list: () =>
        workers.list().map((w) => ({
          id: w.id,
          name: w.name,
          backend: w.backend,
          device: w.device,
          memoryBytes: w.memoryBytes,
          cores: w.cores,
          connectedAt: w.connectedAt.toISOString(),
          busyWith: w.busyWith,
        })),
    },
    eventLoop: () => eventLoop.lag(),
    auth: deps.auth,
  };
}
