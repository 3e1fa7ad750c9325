// The optimisation loops behind `study.optimize` / `study.optimizeAsync`, in Optuna's manner: the objective's
// return value completes the trial, TrialPruned prunes it, any other error fails it and stops the loop (rethrown).
// A finite space running out (grid done, every configuration used) ends the loop quietly.
import { TrialPruned, isSearchError } from "../errors";
import type { Hp } from "../hp";
import type { FrozenTrial } from "../types";
import type { Study } from "./study";
import type { Trial } from "./trial";

export type Objective = (hp: Hp, trial: Trial) => number;
export type AsyncObjective = (hp: Hp, trial: Trial) => number | Promise<number>;

export interface OptimizeAsyncOptions {
  nTrials: number;
  /** Trials running at once (default 1). */
  concurrency?: number;
}

export function optimize(study: Study, objective: Objective, nTrials: number): FrozenTrial | null {
  for (let i = 0; i < nTrials; i++) {
    const trial = askUnlessExhausted(study);
    if (!trial) break;
    let value: number;
    try {
      value = objective(trial.hp, trial);
    } catch (error) {
      tellError(study, trial, error);
      continue;
    }
    study.tell(trial, value);
  }
  return study.bestTrial;
}

export async function optimizeAsync(study: Study, objective: AsyncObjective, options: OptimizeAsyncOptions): Promise<FrozenTrial | null> {
  let started = 0;
  let firstError: unknown = null;
  const worker = async (): Promise<void> => {
    while (started < options.nTrials && firstError === null) {
      const trial = askUnlessExhausted(study);
      if (!trial) return;
      started += 1;
      try {
        study.tell(trial, await objective(trial.hp, trial));
      } catch (error) {
        try {
          tellError(study, trial, error);
        } catch (fatal) {
          firstError ??= fatal;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  if (firstError !== null) throw firstError;
  return study.bestTrial;
}

function askUnlessExhausted(study: Study): Trial | null {
  try {
    return study.ask();
  } catch (error) {
    if (isSearchError(error, "space_exhausted")) return null;
    throw error;
  }
}

/** Pruned for TrialPruned; otherwise the trial fails and the error propagates. */
function tellError(study: Study, trial: Trial, error: unknown): void {
  if (error instanceof TrialPruned) {
    study.tell(trial, "pruned");
    return;
  }
  if (trial.state === "running") study.tell(trial, "failed");
  throw error;
}
