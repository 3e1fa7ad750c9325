import { describe, expect, it } from "vitest";
import { createPruner, PercentilePruner, PrunerOptionError } from "../../../search/pruners/index";
import { flatPeers, studyOf, trialOf } from "./fake-study";

const peers = flatPeers([0.7, 0.75, 0.8, 0.85, 0.9], 10);

describe("median pruner (Optuna semantics)", () => {
  it("prunes a clearly worse trial after startup, naming the step, value and cutoff", () => {
    const pruner = createPruner("median", { metric: "val_accuracy", stepName: "epoch" });
    const trial = trialOf(5, [0.5, 0.55, 0.6], "running");
    const decision = pruner.shouldPrune(studyOf([...peers, trial]), trial);
    expect(decision.prune).toBe(true);
    expect(decision.reason).toBe("pruned at epoch 3: val_accuracy 0.6 below the median 0.8 of 5 complete trials at epoch 3");
  });

  it("keeps everyone before nStartupTrials trials are complete", () => {
    const trial = trialOf(4, [0.1], "running");
    const decision = createPruner("median").shouldPrune(studyOf([...peers.slice(0, 4), trial]), trial);
    expect(decision).toEqual({ prune: false, reason: "kept: startup, 4 of 5 trials complete" });
  });

  it("keeps everyone during warm-up, then prunes", () => {
    const pruner = createPruner("median", { nWarmupSteps: 3 });
    const early = trialOf(5, [0.1, 0.1], "running");
    expect(pruner.shouldPrune(studyOf([...peers, early]), early).prune).toBe(false);
    const later = trialOf(5, [0.1, 0.1, 0.1], "running");
    expect(pruner.shouldPrune(studyOf([...peers, later]), later).prune).toBe(true);
  });

  it("uses the trial's best value so far, not its latest", () => {
    const trial = trialOf(5, [0.95, 0.6], "running");
    const decision = createPruner("median").shouldPrune(studyOf([...peers, trial]), trial);
    expect(decision.prune).toBe(false);
    expect(decision.reason).toContain("(best so far)");
  });

  it("is direction-aware: for a loss, higher is worse", () => {
    const losses = flatPeers([0.2, 0.3, 0.4, 0.5, 0.6], 5);
    const bad = trialOf(5, [0.9, 0.9], "running");
    const good = trialOf(5, [0.25, 0.25], "running");
    const pruner = createPruner("median", { metric: "val_loss" });
    expect(pruner.shouldPrune(studyOf([...losses, bad], "minimize"), bad)).toMatchObject({ prune: true });
    expect(pruner.shouldPrune(studyOf([...losses, bad], "minimize"), bad).reason).toContain("val_loss 0.9 above the median 0.4");
    expect(pruner.shouldPrune(studyOf([...losses, good], "minimize"), good).prune).toBe(false);
  });

  it("checks only at the first report of each interval after warm-up", () => {
    const pruner = createPruner("median", { nWarmupSteps: 2, intervalSteps: 3 });
    const at = (n: number) => trialOf(5, Array.from({ length: n }, () => 0.1), "running");
    const decisions = [2, 3, 4, 5, 6].map((n) => pruner.shouldPrune(studyOf([...peers, at(n)]), at(n)).prune);
    expect(decisions).toEqual([true, false, false, true, false]);
  });

  it("prunes a trial whose every report is NaN, ignores NaN peers, needs nMinTrials peers", () => {
    const nan = trialOf(5, [NaN, NaN], "running");
    expect(createPruner("median").shouldPrune(studyOf([...peers, nan]), nan).reason).toContain("is NaN");
    const trial = trialOf(5, [0.1, 0.1], "running");
    const pruner = createPruner("median", { nMinTrials: 6 });
    expect(pruner.shouldPrune(studyOf([...peers, trial]), trial).prune).toBe(false);
  });

  it("only compares complete trials", () => {
    const pruned = flatPeers([0.99, 0.99, 0.99], 3).map((t) => ({ ...t, state: "pruned" as const, number: t.number + 10 }));
    const trial = trialOf(5, [0.78, 0.78], "running");
    expect(createPruner("median").shouldPrune(studyOf([...peers, ...pruned, trial]), trial).prune).toBe(true);
  });
});

describe("percentile pruner", () => {
  it("keeps only the top percentile, with numpy's interpolation", () => {
    // Levels 0.7..0.9: the 75th percentile (keep top 25%) is 0.85.
    const pruner = createPruner("percentile", { percentile: 25 });
    const below = trialOf(5, [0.84], "running");
    const at = trialOf(5, [0.85], "running");
    expect(pruner.shouldPrune(studyOf([...peers, below]), below).reason).toContain("25th-percentile cutoff 0.85");
    expect(pruner.shouldPrune(studyOf([...peers, below]), below).prune).toBe(true);
    expect(pruner.shouldPrune(studyOf([...peers, at]), at).prune).toBe(false);
  });

  it("smooths over a window when asked, so one lucky report does not save a trial", () => {
    const trial = trialOf(5, [0.6, 0.95, 0.6], "running");
    expect(createPruner("median").shouldPrune(studyOf([...peers, trial]), trial).prune).toBe(false); // best so far 0.95
    const decision = createPruner("median", { smoothingWindow: 3 }).shouldPrune(studyOf([...peers, trial]), trial);
    expect(decision.prune).toBe(true);
    expect(decision.reason).toContain("value (mean of the last 3 steps) 0.7167 below the median 0.8");
  });

  it("compares a learning-curve forecast with the peers' final values", () => {
    // Peers end at 0.7..0.9; the slow learner is at 0.6 now but heads for 0.95.
    const slow = trialOf(5, [1, 2, 3, 4].map((e) => 0.95 - 0.6 * Math.exp(-0.3 * e)), "running");
    const plain = createPruner("median", { nWarmupSteps: 4 });
    const forecasting = createPruner("median", { nWarmupSteps: 4, forecastHorizon: 10, metric: "acc" });
    const study = studyOf([...flatPeers([0.7, 0.75, 0.8, 0.85, 0.9], 10), slow]);
    expect(plain.shouldPrune(study, slow).prune).toBe(true);
    const decision = forecasting.shouldPrune(study, slow);
    expect(decision.prune).toBe(false);
    expect(decision.reason).toMatch(/acc forecast for step 10 0\.9\d* at or above the median 0\.8/);
  });

  it("rejects bad options with the field named", () => {
    expect(() => new PercentilePruner({ percentile: 120 })).toThrow(PrunerOptionError);
    expect(() => createPruner("median", { nWarmupSteps: -1 })).toThrow(/nWarmupSteps/);
    expect(() => createPruner("median", { n_warmup: 3 } as never)).toThrow(/n_warmup: not an option/);
    expect(() => createPruner("nope" as never)).toThrow(/unknown pruner/);
  });
});
