// The handle `study.ask()` returns: the trial's number and parameters, `report`/`shouldPrune` for pruning, and
// `hp` for defining parameters by run. All state lives in the study; the handle only forwards to it.
import type { Hp } from "../hp";
import type { Params } from "../parameters";
import type { TrialStateName } from "../trial-state";
import type { FrozenTrial, PruneDecision } from "../types";
import { TrialPruned } from "../errors";

/** What a trial handle needs from its study (kept small so the handle stays a thin view). */
export interface TrialHost {
  frozenTrial(number: number): FrozenTrial;
  report(number: number, step: number, value: number): void;
  shouldPrune(number: number): PruneDecision;
  hpFor(number: number): Hp;
}

export class Trial {
  constructor(
    readonly number: number,
    private readonly host: TrialHost,
  ) {}

  /** The parameters so far (all active ones of a declared space; define-by-run ones as they are defined). */
  get params(): Readonly<Params> {
    return this.host.frozenTrial(this.number).params;
  }

  get state(): TrialStateName {
    return this.host.frozenTrial(this.number).state;
  }

  get hp(): Hp {
    return this.host.hpFor(this.number);
  }

  /** Immutable snapshot of the trial as it is now. */
  frozen(): FrozenTrial {
    return this.host.frozenTrial(this.number);
  }

  /** Records an intermediate value (e.g. the epoch's validation metric) for pruners. */
  report(step: number, value: number): void {
    this.host.report(this.number, step, value);
  }

  /** Asks the study's pruner about the latest report; never prunes without a pruner. */
  shouldPrune(): PruneDecision {
    return this.host.shouldPrune(this.number);
  }

  /** Throws TrialPruned (which `study.optimize` records as pruned) when the pruner says so. */
  pruneIfNeeded(): void {
    const decision = this.shouldPrune();
    if (decision.prune) throw new TrialPruned(decision.reason);
  }
}
