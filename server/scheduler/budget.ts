// When a sweep stops starting trials, besides its trial count: a time budget, a target value reached, or too many
// failures in a row (then the sweep fails rather than finishes).
import type { SweepDocument } from "../sweeps/sweep-document";

export interface BudgetFacts {
  createdAt: Date;
  now: Date;
  /** Best complete value so far, per the goal; null before any. */
  bestValue: number | null;
  /** The most recently finished trials, newest first. */
  recent: { state: string; error: string | null }[];
}

export type BudgetVerdict = { spent: false } | { spent: true; fail: boolean; reason: string };

export function budgetVerdict(document: SweepDocument, facts: BudgetFacts): BudgetVerdict {
  const { budget, metric } = document;
  const failures = budget.max_consecutive_failures;
  if (failures !== undefined && facts.recent.length >= failures && facts.recent.slice(0, failures).every((t) => t.state === "failed")) {
    return { spent: true, fail: true, reason: `stopped after ${failures} consecutive failed trials (last: ${facts.recent[0].error ?? "no error"})` };
  }
  if (budget.target_value !== undefined && facts.bestValue !== null) {
    const reached = metric.goal === "maximize" ? facts.bestValue >= budget.target_value : facts.bestValue <= budget.target_value;
    if (reached) return { spent: true, fail: false, reason: `target reached: ${metric.name} ${facts.bestValue} (target ${budget.target_value})` };
  }
  if (budget.max_minutes !== undefined && facts.now.getTime() - facts.createdAt.getTime() >= budget.max_minutes * 60_000) {
    return { spent: true, fail: false, reason: `time budget of ${budget.max_minutes} min spent` };
  }
  return { spent: false };
}
