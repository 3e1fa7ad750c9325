// Group decomposition for conditional spaces (Optuna's `group=True`): split parameters into the finest sets that
// always occur together in past trials, so that each set gets its own joint (multivariate) estimator fed by
// exactly the trials in which it was active.
import type { FrozenTrial } from "../../types";

export function coOccurringGroups(names: readonly string[], trials: readonly FrozenTrial[]): string[][] {
  let groups: Set<string>[] = [];
  for (const trial of trials) {
    const present = new Set(names.filter((name) => name in trial.params));
    if (present.size === 0) continue;
    const next: Set<string>[] = [];
    for (const group of groups) {
      const inside = new Set([...group].filter((name) => present.has(name)));
      const outside = new Set([...group].filter((name) => !present.has(name)));
      if (inside.size > 0) next.push(inside);
      if (outside.size > 0) next.push(outside);
      for (const name of group) present.delete(name);
    }
    if (present.size > 0) next.push(present);
    groups = next;
  }
  // Space order inside each group and between groups keeps the result independent of trial history order.
  const order = new Map(names.map((name, i) => [name, i]));
  return groups
    .map((group) => [...group].sort((a, b) => order.get(a)! - order.get(b)!))
    .sort((a, b) => order.get(a[0])! - order.get(b[0])!);
}
