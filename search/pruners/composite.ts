// Composition of pruners: prune when any member prunes (asked in order; the first that prunes gives the reason).
// Lets a rung-based rule (ASHA) judge early, cheap comparisons while a percentile rule against complete trials
// guards the expensive stretch after the last rung, where ASHA alone never prunes.
import type { FrozenTrial, PruneDecision, Pruner, StudyView } from "../types";

export class AnyOfPruner implements Pruner {
  readonly name: string;

  constructor(readonly members: readonly Pruner[]) {
    if (members.length === 0) throw new Error("AnyOfPruner needs at least one pruner");
    this.name = `any-of(${members.map((m) => m.name).join(", ")})`;
  }

  initialAttrs(study: StudyView, trialNumber: number): Record<string, unknown> {
    const attrs: Record<string, unknown> = {};
    for (const m of this.members) Object.assign(attrs, m.initialAttrs?.(study, trialNumber) ?? {});
    return attrs;
  }

  shouldPrune(study: StudyView, trial: FrozenTrial): PruneDecision {
    const kept: string[] = [];
    for (const m of this.members) {
      const decision = m.shouldPrune(study, trial);
      if (decision.prune) return decision;
      kept.push(decision.reason);
    }
    return { prune: false, reason: kept.join("; ") };
  }
}

/** Prunes when any of `pruners` does. */
export function anyOf(...pruners: Pruner[]): AnyOfPruner {
  return new AnyOfPruner(pruners);
}
