import { describe, expect, it } from "vitest";
import { createPruner, promotionCutoff, rungStep, SuccessiveHalvingPruner } from "../../../search/pruners/index";
import { studyOf, trialOf } from "./fake-study";

describe("successive halving / ASHA", () => {
  it("places rungs at minResource * eta^(rate + k)", () => {
    const { schedule } = new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 3, minEarlyStoppingRate: 1 });
    expect([0, 1, 2].map((k) => rungStep(schedule, k))).toEqual([6, 18, 54]);
  });

  it("promotes the top floor(n/eta) of the values at a rung, at least the best one", () => {
    // 8 competitors (7 peers + this) with eta 4: the best 2 go on.
    const peers = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    expect(promotionCutoff(peers, 0.65, 4, "maximize")).toEqual({ promote: true, cutoff: 0.65, competitors: 8 });
    expect(promotionCutoff(peers, 0.55, 4, "maximize")).toMatchObject({ promote: false, cutoff: 0.6 });
    // Fewer than eta competitors: only a value at least as good as every peer goes on.
    expect(promotionCutoff([0.5, 0.6], 0.6, 4, "maximize").promote).toBe(true);
    expect(promotionCutoff([0.5, 0.6], 0.55, 4, "maximize").promote).toBe(false);
    expect(promotionCutoff([0.5, 0.6], 0.4, 4, "minimize").promote).toBe(true);
    // NaN peers count as competitors but never as better.
    expect(promotionCutoff([NaN, NaN, NaN, 0.2], 0.1, 2, "maximize")).toMatchObject({ promote: true, competitors: 5 });
  });

  it("decides only when a report reaches a rung, against every trial that reached it whatever its state", () => {
    const pruner = createPruner("asha", { minResource: 1, reductionFactor: 3, metric: "val_accuracy", stepName: "epoch" });
    const others = [
      trialOf(0, [0.5, 0.6, 0.78]),
      trialOf(1, [0.4, 0.5, 0.85], "pruned"),
      trialOf(2, [0.6, 0.7, 0.8], "running"),
      ...[3, 4, 5, 6, 7].map((n) => trialOf(n, [0.3, 0.4, 0.5 + n / 100], "pruned")),
    ];
    const between = trialOf(8, [0.9, 0.5], "running"); // step 2 is no rung
    expect(pruner.shouldPrune(studyOf([...others, between]), between)).toEqual({ prune: false, reason: "kept: next rung at epoch 3" });
    const atRung1 = trialOf(8, [0.9, 0.5, 0.71], "running");
    expect(pruner.shouldPrune(studyOf([...others, atRung1]), atRung1)).toEqual({
      prune: true,
      reason: "pruned at epoch 3: val_accuracy 0.71 below the rung-1 cutoff 0.78 among 9 trials (top 1/3 go on)",
    });
    const good = trialOf(8, [0.9, 0.5, 0.79], "running");
    expect(pruner.shouldPrune(studyOf([...others, good]), good).reason).toBe(
      "promoted at epoch 3: val_accuracy 0.79 at or above the rung-1 cutoff 0.79 among 9 trials (top 1/3 go on)",
    );
  });

  it("is asynchronous: the first trial at a rung is promoted, with no one to wait for", () => {
    const first = trialOf(0, [0.1], "running");
    expect(createPruner("asha").shouldPrune(studyOf([first]), first).prune).toBe(false);
  });

  it("decides every rung a skipped report crossed, and honours maxResource and NaN", () => {
    const pruner = createPruner("asha", { minResource: 1, reductionFactor: 2, maxResource: 8 });
    const peer = trialOf(0, [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]);
    const sparse = { ...trialOf(1, [], "running"), intermediate: { 4: 0.5 } };
    expect(pruner.shouldPrune(studyOf([peer, sparse]), sparse).reason).toContain("rung-0");
    const finished = trialOf(1, [1, 1, 1, 1, 1, 1, 1, 0.1], "running"); // step 8 = maxResource: no rung there
    expect(pruner.shouldPrune(studyOf([peer, finished]), finished)).toMatchObject({ prune: false });
    const nan = trialOf(1, [NaN], "running");
    expect(pruner.shouldPrune(studyOf([peer, nan]), nan)).toMatchObject({ prune: true });
  });

  it("is direction-aware", () => {
    const peers = [0, 1, 2, 3].map((n) => trialOf(n, [n / 10]));
    const low = trialOf(4, [0.05], "running");
    expect(createPruner("asha", { reductionFactor: 2 }).shouldPrune(studyOf([...peers, low], "minimize"), low).prune).toBe(false);
    expect(createPruner("asha", { reductionFactor: 2 }).shouldPrune(studyOf([...peers, low], "maximize"), low).prune).toBe(true);
  });
});

describe("successive halving with forecastHorizon", () => {
  // Curves a - b·exp(-c·s): fast learners plateau low, a slow learner is behind today but will end higher.
  const curve = (a: number, c: number, n: number) => Array.from({ length: n }, (_, i) => a - (a - 0.1) * Math.exp(-c * (i + 1)));
  const fast = [0, 1, 2, 3, 4].map((n) => trialOf(n, curve(0.8 + n / 1000, 1.5, 3), "pruned"));

  it("ranks trials at a rung by their forecast for the horizon, not by today's value", () => {
    const slow = trialOf(5, curve(0.95, 0.15, 3), "running");
    const plain = createPruner("asha", { minResource: 3, reductionFactor: 3 });
    expect(plain.shouldPrune(studyOf([...fast, slow]), slow).prune).toBe(true);
    const forecasting = createPruner("asha", { minResource: 3, reductionFactor: 3, maxResource: 27, forecastHorizon: 27, stepName: "epoch" });
    const decision = forecasting.shouldPrune(studyOf([...fast, slow]), slow);
    expect(decision.prune).toBe(false);
    expect(decision.reason).toMatch(/^promoted at epoch 3: value forecast for epoch 27 0\.9\d* at or above the rung-0 cutoff/);
    // A fast learner that plateaus lowest is pruned by its forecast too.
    const worst = trialOf(6, curve(0.7, 1.5, 3), "running");
    expect(forecasting.shouldPrune(studyOf([...fast, worst]), worst).prune).toBe(true);
  });

  it("falls back to the rung value while a curve has fewer than 3 reports, and is accepted by hyperband", () => {
    const pruner = createPruner("asha", { minResource: 1, reductionFactor: 2, forecastHorizon: 27 });
    const peers = [trialOf(0, [0.5]), trialOf(1, [0.6])];
    expect(pruner.shouldPrune(studyOf([...peers, trialOf(2, [0.4], "running")]), trialOf(2, [0.4], "running")).prune).toBe(true);
    expect(() => createPruner("hyperband", { maxResource: 27, forecastHorizon: 27 })).not.toThrow();
  });
});
