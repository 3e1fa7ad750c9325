// What the HTTP layer (Next route handlers) may call. The instance lives in the custom server process and is
// handed to route handlers through globalThis, because Next bundles route handlers as separate modules.
import type { Readable } from "node:stream";
import type { SweepAnalysis } from "./sweeps/sweep-analysis";
import type { FieldError } from "./sweeps/sweep-document";
import type { LeaderboardPage, ModelSummary, SweepChanges, SweepCurves, SweepSnapshot, SweepSummary, WorkerSummary } from "./sweeps/types";
import type { TrialEvaluation } from "./training/types";
import type { AuthService } from "./auth/auth-service";
import type { EventLoopLag } from "./event-loop-monitor";

export type CreateSweepResult = { ok: true; id: string } | { ok: false; errors: FieldError[] };

export interface Services {
  db: "pglite" | "postgres";
  sweeps: {
    create(input: unknown): Promise<CreateSweepResult>;
    list(): Promise<SweepSummary[]>;
    /** What the sweep page paints first, bounded whatever the sweep's size. `query` holds the search params as an
     *  object of strings ({ sort?, order?, states?, limit?, trials? }; see sweeps/read-queries.ts). Throws
     *  AppError("invalid") naming the bad field, AppError("not_found"). */
    get(id: string, query?: unknown): Promise<SweepSnapshot>;
    /** A leaderboard page ({ sort?, order?, states?, offset?, limit? }). Throws like get. */
    trials(id: string, query?: unknown): Promise<LeaderboardPage>;
    /** Downsampled curves of the top-N and requested trials, and the envelope ({ top?, trials?, points? }). */
    curves(id: string, query?: unknown): Promise<SweepCurves>;
    /** Importance, history, parallel coordinates and slices over the complete trials (bounded, cached per sweep
     *  version). Throws AppError("not_found"). */
    analysis(id: string): Promise<SweepAnalysis>;
    /** Trials, epochs and status changed since the cursor `since` (null: everything), epochs only of `trials` (a
     *  comma list of ids) when given; `reset` when more changed than one answer carries. Throws AppError("invalid")
     *  for a bad cursor or list, AppError("not_found"). */
    changes(id: string, since: string | null, trials?: string | null): Promise<SweepChanges>;
    /** pause | resume | stop. Throws AppError("not_found"), or AppError("conflict") when the status forbids it. */
    control(id: string, action: string): Promise<SweepSummary>;
    /** Live budget edit ({ budget: { concurrency?, max_trials?, … } }). Throws AppError("invalid") with field
     *  errors, AppError("not_found"), or AppError("conflict") once the sweep has ended. */
    editBudget(id: string, input: unknown): Promise<SweepSummary>;
  };
  models: {
    /** Throws AppError("not_found") or AppError("conflict") when the trial has no model. */
    promote(trialId: string): Promise<{ modelId: string }>;
    list(): Promise<ModelSummary[]>;
    /** A zip with model.json, weights.bin and metadata.json, streamed as it is read (its length is not known in
     *  advance). Throws AppError("not_found"). */
    download(modelId: string): Promise<{ filename: string; stream: Readable }>;
  };
  trials: {
    /** The final model's evaluation. Throws AppError("not_found") for an unknown trial or one without an evaluation. */
    evaluation(trialId: string): Promise<TrialEvaluation>;
  };
  workers: { connected(): number; list(): WorkerSummary[] };
  /** This process's event-loop delay over the last interval (see event-loop-monitor.ts). */
  eventLoop(): EventLoopLag;
  /** Accounts and tokens. Inputs are validated here (zod): AppError("invalid") with field errors. */
  auth: AuthService;
}

const KEY = Symbol.for("sweepboard.services");
type Holder = { [KEY]?: Services };

export function setServices(services: Services | undefined): void {
  (globalThis as Holder)[KEY] = services;
}

export function getServices(): Services {
  const services = (globalThis as Holder)[KEY];
  if (!services) throw new Error("Sweepboard services are not initialised: start the app with `npm start`.");
  return services;
}
