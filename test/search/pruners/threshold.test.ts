import { describe, expect, it } from "vitest";
import { createPruner, NopPruner, PRUNER_NAMES } from "../../../search/pruners/index";
import { studyOf, trialOf } from "./fake-study";

describe("threshold pruner", () => {
  const pruner = createPruner("threshold", { lower: 0.2, upper: 5, nWarmupSteps: 2, metric: "loss", stepName: "epoch" });
  const decide = (values: number[]) => {
    const t = trialOf(0, values, "running");
    return pruner.shouldPrune(studyOf([t], "minimize"), t);
  };

  it("prunes outside [lower, upper] after warm-up, with the bound in the reason", () => {
    expect(decide([9]).prune).toBe(false); // warm-up
    expect(decide([1, 9])).toEqual({ prune: true, reason: "pruned at epoch 2: loss 9 above the upper threshold 5" });
    expect(decide([1, 0.1]).reason).toBe("pruned at epoch 2: loss 0.1 below the lower threshold 0.2");
    expect(decide([1, 1]).reason).toBe("kept at epoch 2: loss 1 within [0.2, 5]");
    expect(decide([1, NaN])).toMatchObject({ prune: true, reason: "pruned at epoch 2: loss is NaN" });
  });

  it("needs a bound", () => {
    expect(() => createPruner("threshold", {})).toThrow(/lower/);
    expect(() => createPruner("threshold", { lower: 2, upper: 1 })).toThrow(/lower/);
  });
});

describe("pruner registry", () => {
  it("builds every named pruner, asha as successive halving, none never prunes", () => {
    const needs: Record<string, object> = { percentile: { percentile: 25 }, hyperband: { maxResource: 27 }, threshold: { upper: 1 } };
    for (const name of PRUNER_NAMES) expect(createPruner(name, needs[name] ?? {}).name).toBeTruthy();
    expect(createPruner("asha").name).toBe("successive-halving");
    const t = trialOf(0, [NaN], "running");
    expect(new NopPruner().shouldPrune(studyOf([t]), t).prune).toBe(false);
  });
});
