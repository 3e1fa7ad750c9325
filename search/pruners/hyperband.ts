// Hyperband (Li et al. 2018) run asynchronously, as Optuna does: several successive-halving brackets that differ in
// how early they start pruning (bracket b has its first rung at minResource * reductionFactor^b). Each trial
// belongs to one bracket, drawn from (study seed, trial number) and stored in its systemAttrs when it is created,
// so every process, restarted or not, puts it in the same bracket. A trial competes only with its bracket.
import { mixSeed } from "../rng";
import type { FrozenTrial, PruneDecision, Pruner, StudyView } from "../types";
import { Explainer, PrunerOptionError, type ReasonOptions, requireInteger } from "./common";
import { type RungSchedule, rungSchedule, successiveHalvingDecision } from "./successive-halving";

export interface HyperbandOptions extends ReasonOptions {
  /** Step of the first rung of the most aggressive bracket (default 1). */
  minResource?: number;
  /** Steps of a full trial, e.g. the epoch count; no rung sits at or beyond it. */
  maxResource: number;
  /** Rungs are this factor apart and keep the top 1/reductionFactor (default 3). */
  reductionFactor?: number;
  /** Rung values are means of this many last reports (default 1), as in successive halving. */
  smoothingWindow?: number;
  /** Rank trials at rungs by their learning-curve forecast for this step (see SuccessiveHalvingOptions). */
  forecastHorizon?: number;
}

/** The systemAttrs key holding a trial's bracket. */
export const BRACKET_ATTR = "hyperband:bracket";
// Salt so the bracket draw is independent of a sampler's draw from the same (seed, number).
const BRACKET_STREAM = 0x4879_7065;

export class HyperbandPruner implements Pruner {
  readonly name = "hyperband";
  /** One schedule per bracket, most aggressive first. */
  readonly brackets: readonly RungSchedule[];
  /** Relative share of trials given to each bracket (Hyperband's n_i: aggressive brackets need more trials). */
  readonly bracketBudgets: readonly number[];
  private readonly totalBudget: number;
  private readonly explain: Explainer;

  constructor(options: HyperbandOptions) {
    const minResource = requireInteger("minResource", options.minResource ?? 1, 1);
    const maxResource = requireInteger("maxResource", options.maxResource, 1);
    const eta = requireInteger("reductionFactor", options.reductionFactor ?? 3, 2);
    if (maxResource <= minResource) {
      throw new PrunerOptionError("maxResource", `must exceed minResource (${minResource}), got ${maxResource}`);
    }
    // Integer arithmetic: floor(log_eta(max/min)) + 1 brackets without floating-point surprises at exact powers.
    let nBrackets = 1;
    while (minResource * eta ** nBrackets <= maxResource) nBrackets++;
    this.brackets = Array.from({ length: nBrackets }, (_, b) =>
      rungSchedule({ minResource, reductionFactor: eta, minEarlyStoppingRate: b, maxResource, smoothingWindow: options.smoothingWindow, forecastHorizon: options.forecastHorizon }),
    );
    this.bracketBudgets = this.brackets.map((_, b) => {
      const s = nBrackets - 1 - b;
      return Math.ceil((nBrackets * eta ** s) / (s + 1));
    });
    this.totalBudget = this.bracketBudgets.reduce((a, b) => a + b, 0);
    this.explain = new Explainer(options);
  }

  /** The bracket of a trial, from (seed, number) alone. */
  bracketFor(seed: number, trialNumber: number): number {
    let ticket = mixSeed(seed, trialNumber, BRACKET_STREAM) % this.totalBudget;
    for (let b = 0; b < this.bracketBudgets.length; b++) {
      if (ticket < this.bracketBudgets[b]) return b;
      ticket -= this.bracketBudgets[b];
    }
    return this.bracketBudgets.length - 1;
  }

  initialAttrs(study: StudyView, trialNumber: number): Record<string, unknown> {
    return { [BRACKET_ATTR]: this.bracketFor(study.seed, trialNumber) };
  }

  /** The stored bracket; recomputed (identically) for a trial created without `initialAttrs`. */
  bracketOf(study: StudyView, trial: FrozenTrial): number {
    const stored = trial.systemAttrs[BRACKET_ATTR];
    if (typeof stored === "number" && Number.isInteger(stored) && stored >= 0 && stored < this.brackets.length) return stored;
    return this.bracketFor(study.seed, trial.number);
  }

  shouldPrune(study: StudyView, trial: FrozenTrial): PruneDecision {
    const bracket = this.bracketOf(study, trial);
    const decision = successiveHalvingDecision(study, trial, this.brackets[bracket], this.explain, (peer) => this.bracketOf(study, peer) === bracket);
    return { prune: decision.prune, reason: `${decision.reason} [bracket ${bracket} of ${this.brackets.length}]` };
  }
}
