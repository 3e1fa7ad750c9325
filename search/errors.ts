// Domain errors of the search library. Each carries a stable code so callers (the server, the dashboard) can map
// it to a status or a message without parsing text; space errors also carry field-level issues.

export type SearchErrorCode =
  /** A search space (document or define-by-run call) is malformed; see `issues`. */
  | "invalid_space"
  /** A trial that is complete, pruned or failed was asked to change. */
  | "trial_finished"
  /** A move the trial state machine does not allow (e.g. completing a trial that never ran). */
  | "invalid_transition"
  /** A trial number the study does not know. */
  | "unknown_trial"
  /** A value that cannot be recorded (non-finite report, wrong type). */
  | "invalid_value"
  /** Every configuration of a finite space is already running or finished. */
  | "space_exhausted"
  /** The sampler kept proposing configurations already in use, and the space is too large to enumerate. */
  | "duplicate_configuration"
  /** A sampler proposed a value outside its parameter's spec (a sampler bug). */
  | "invalid_sample"
  /** The grid sampler cannot enumerate a parameter (a continuous range with no resolution). */
  | "grid_resolution"
  /** The grid would have more configurations than the sampler's limit. */
  | "grid_too_large"
  /** A sampler name the registry does not know, or one not available in this build. */
  | "unknown_sampler"
  /** Stored trials handed to a study cannot be rebuilt (duplicate numbers, bad states). */
  | "invalid_trials";

export interface SpaceIssue {
  /** Path of the offending field, relative to the `parameters` object: ["momentum", "when", "optimizer"]. */
  path: (string | number)[];
  message: string;
}

export class SearchError extends Error {
  readonly code: SearchErrorCode;
  readonly issues: readonly SpaceIssue[];

  constructor(code: SearchErrorCode, message: string, issues: readonly SpaceIssue[] = []) {
    super(message);
    this.name = "SearchError";
    this.code = code;
    this.issues = issues;
  }
}

export function isSearchError(error: unknown, code?: SearchErrorCode): error is SearchError {
  return error instanceof SearchError && (code === undefined || error.code === code);
}

/** Thrown by an objective (or `trial.pruneIfNeeded()`) to end its trial as pruned, as in Optuna and KerasTuner. */
export class TrialPruned extends Error {
  constructor(readonly reason: string = "pruned") {
    super(reason);
    this.name = "TrialPruned";
  }
}

export function formatIssues(issues: readonly SpaceIssue[]): string {
  return issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "parameters"}: ${issue.message}`).join("; ");
}
