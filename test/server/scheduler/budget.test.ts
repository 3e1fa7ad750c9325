import { describe, expect, it } from "vitest";
import { budgetVerdict, type BudgetFacts } from "../../../server/scheduler/budget";
import { parseSweepDocument, type SweepDocument } from "../../../server/sweeps/sweep-document";
import { tinySweep } from "../../support/sweeps";

function documentWith(budget: Record<string, unknown>, metric = { name: "val_accuracy", goal: "maximize" }): SweepDocument {
  const parsed = parseSweepDocument({ ...tinySweep(), metric, budget: { max_trials: 10, ...budget } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.document;
}

const facts = (over: Partial<BudgetFacts> = {}): BudgetFacts => ({
  createdAt: new Date(0),
  now: new Date(60_000),
  bestValue: null,
  recent: [],
  ...over,
});

describe("sweep budget", () => {
  it("is not spent without limits", () => {
    expect(budgetVerdict(documentWith({}), facts({ bestValue: 0.99 }))).toEqual({ spent: false });
  });

  it("stops at the target value, in the goal's direction", () => {
    expect(budgetVerdict(documentWith({ target_value: 0.9 }), facts({ bestValue: 0.89 }))).toEqual({ spent: false });
    expect(budgetVerdict(documentWith({ target_value: 0.9 }), facts({ bestValue: 0.91 }))).toMatchObject({ spent: true, fail: false, reason: expect.stringContaining("target reached") });
    const loss = documentWith({ target_value: 0.3 }, { name: "val_loss", goal: "minimize" });
    expect(budgetVerdict(loss, facts({ bestValue: 0.31 }))).toEqual({ spent: false });
    expect(budgetVerdict(loss, facts({ bestValue: 0.29 })).spent).toBe(true);
  });

  it("stops when the time budget is spent", () => {
    expect(budgetVerdict(documentWith({ max_minutes: 2 }), facts()).spent).toBe(false);
    expect(budgetVerdict(documentWith({ max_minutes: 1 }), facts())).toMatchObject({ spent: true, reason: "time budget of 1 min spent" });
  });

  it("fails after N failures in a row, not N failures in all", () => {
    const doc = documentWith({ max_consecutive_failures: 2 });
    const failed = { state: "failed", error: "out of memory" };
    const complete = { state: "complete", error: null };
    expect(budgetVerdict(doc, facts({ recent: [failed, complete, failed] })).spent).toBe(false);
    expect(budgetVerdict(doc, facts({ recent: [failed, failed, complete] }))).toMatchObject({ spent: true, fail: true, reason: expect.stringContaining("out of memory") });
  });

  it("rejects impossible limits in the document", () => {
    expect(parseSweepDocument({ ...tinySweep(), budget: { max_trials: 2, max_minutes: -1 } }).ok).toBe(false);
    expect(parseSweepDocument({ ...tinySweep(), budget: { max_trials: 2, max_consecutive_failures: 0 } }).ok).toBe(false);
  });
});
