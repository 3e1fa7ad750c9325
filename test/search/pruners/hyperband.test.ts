import { describe, expect, it } from "vitest";
import { BRACKET_ATTR, createPruner, HyperbandPruner, rungStep } from "../../../search/pruners/index";
import type { FrozenTrial } from "../../../search/types";
import { studyOf, trialOf } from "./fake-study";

describe("Hyperband", () => {
  const options = { minResource: 1, maxResource: 27, reductionFactor: 3 };

  it("builds floor(log_eta(max/min)) + 1 brackets with Hyperband's trial shares", () => {
    const pruner = new HyperbandPruner(options);
    expect(pruner.brackets.length).toBe(4);
    expect(pruner.brackets.map((b) => rungStep(b, 0))).toEqual([1, 3, 9, 27]);
    expect(pruner.bracketBudgets).toEqual([27, 12, 6, 4]);
    expect(new HyperbandPruner({ minResource: 1, maxResource: 81, reductionFactor: 3 }).brackets.length).toBe(5);
  });

  it("assigns brackets from (seed, number) alone: two fresh instances (processes) agree, seeds differ", () => {
    const a = new HyperbandPruner(options);
    const b = new HyperbandPruner(options);
    const study = studyOf([], "maximize", 42);
    const attrsA = Array.from({ length: 200 }, (_, n) => a.initialAttrs(study, n));
    const attrsB = Array.from({ length: 200 }, (_, n) => b.initialAttrs(study, n));
    expect(attrsA).toEqual(attrsB);
    const brackets = attrsA.map((x) => x[BRACKET_ATTR] as number);
    // Shares roughly follow the budgets 27:12:6:4 of 49.
    const counts = [0, 1, 2, 3].map((k) => brackets.filter((x) => x === k).length);
    expect(counts[0]).toBeGreaterThan(counts[1]);
    expect(counts[1]).toBeGreaterThan(counts[3]);
    const other = Array.from({ length: 200 }, (_, n) => a.bracketFor(7, n));
    expect(other).not.toEqual(brackets);
  });

  it("compares a trial only with its own bracket, and decides the same in a second process", () => {
    const pruner = new HyperbandPruner({ ...options, metric: "acc" });
    const seed = 3;
    const inBracket0: number[] = [];
    for (let n = 0; inBracket0.length < 6; n++) if (pruner.bracketFor(seed, n) === 0) inBracket0.push(n);
    const otherBracket: number[] = [];
    for (let n = 0; otherBracket.length < 6; n++) if (pruner.bracketFor(seed, n) !== 0) otherBracket.push(n);
    const attrs = (n: number) => pruner.initialAttrs(studyOf([], "maximize", seed), n);
    // Excellent trials in other brackets must not count against a bracket-0 trial.
    const trials: FrozenTrial[] = [
      ...otherBracket.map((n) => trialOf(n, [0.99], "running", attrs(n))),
      ...inBracket0.slice(0, 5).map((n, i) => trialOf(n, [0.1 + i / 100], "running", attrs(n))),
    ];
    const me = trialOf(inBracket0[5], [0.2], "running", attrs(inBracket0[5]));
    const study = studyOf([...trials, me], "maximize", seed);
    const first = pruner.shouldPrune(study, me);
    expect(first.prune).toBe(false);
    expect(first.reason).toContain("[bracket 0 of 4]");
    // A fresh instance, and trials stored without the attribute, give the same answer.
    const stripped = [...trials, me].map((t) => ({ ...t, systemAttrs: {} }));
    expect(new HyperbandPruner({ ...options, metric: "acc" }).shouldPrune(studyOf(stripped, "maximize", seed), stripped.at(-1)!)).toEqual(first);
  });

  it("never prunes at maxResource and is available by name", () => {
    const pruner = createPruner("hyperband", { maxResource: 9 });
    const peers = [0, 1, 2].map((n) => trialOf(n, Array(9).fill(0.9), "complete", { [BRACKET_ATTR]: 0 }));
    const last = trialOf(3, [...Array(8).fill(0.95), 0.1], "running", { [BRACKET_ATTR]: 0 });
    expect(pruner.shouldPrune(studyOf([...peers, last]), last).prune).toBe(false);
    expect(() => createPruner("hyperband", { maxResource: 1 })).toThrow(/maxResource/);
  });
});
