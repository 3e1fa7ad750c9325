import { describe, expect, it } from "vitest";
import { TrialPruned, isSearchError } from "../../../search/errors";
import { parseSearchSpace, spaceFromSpecs } from "../../../search/space";
import { createGridSampler, createRandomSampler } from "../../../search/samplers";
import { Study, createStudy } from "../../../search/study";
import type { FrozenTrial, Pruner, Sampler } from "../../../search/types";
import { errorOf } from "../../support/errors";

const space = parseSearchSpace({
  optimizer: { values: ["adam", "sgd"] },
  momentum: { min: 0.5, max: 0.99, when: { optimizer: "sgd" } },
  x: { min: -5.0, max: 5.0 },
});

/** Prunes once a trial reports a value above its threshold; records what it saw. */
function thresholdPruner(threshold: number): Pruner & { seen: FrozenTrial[] } {
  const seen: FrozenTrial[] = [];
  return {
    name: "test-threshold",
    seen,
    shouldPrune(_study, trial) {
      seen.push(trial);
      const steps = Object.keys(trial.intermediate).map(Number);
      const last = trial.intermediate[Math.max(...steps)];
      return last > threshold ? { prune: true, reason: `pruned: ${last} above ${threshold}` } : { prune: false, reason: "kept" };
    },
    initialAttrs: (_study, number) => ({ bracket: number % 2 }),
  };
}


describe("study ask/tell", () => {
  it("numbers trials, samples active parameters, and tracks the best trial in its direction", () => {
    for (const direction of ["minimize", "maximize"] as const) {
      const study = createStudy({ space, direction, seed: 4 });
      const values: number[] = [];
      for (let i = 0; i < 20; i++) {
        const trial = study.ask();
        expect(trial.number).toBe(i);
        expect(trial.state).toBe("running");
        expect("momentum" in trial.params).toBe(trial.params.optimizer === "sgd");
        const value = (trial.params.x as number) ** 2;
        values.push(value);
        study.tell(trial, value);
      }
      const best = direction === "minimize" ? Math.min(...values) : Math.max(...values);
      expect(study.bestTrial!.value).toBe(best);
      expect(study.bestValue).toBe(best);
    }
  });

  it("shows running trials to the sampler and passes the pruner's attributes onto new trials", () => {
    const seen: number[] = [];
    const spy: Sampler = {
      name: "spy",
      sampleRelative(study) {
        seen.push(study.trials(["running"]).length);
        return {};
      },
      sampleIndependent: (study, trial, name, spec) => createRandomSampler().sampleIndependent(study, trial, name, spec),
    };
    const study = createStudy({ space, sampler: spy, pruner: thresholdPruner(1) });
    const [a, b] = [study.ask(), study.ask()];
    study.ask();
    expect(seen).toEqual([1, 2, 3]); // each new trial is itself running while it is sampled
    expect(a.frozen().systemAttrs).toEqual({ bracket: 0 });
    expect(b.frozen().systemAttrs).toEqual({ bracket: 1 });
  });

  it("delegates shouldPrune to the pruner with the reported values; never prunes without one", () => {
    const pruner = thresholdPruner(0.5);
    const study = createStudy({ space, pruner });
    const trial = study.ask();
    trial.report(0, 0.3);
    expect(trial.shouldPrune()).toEqual({ prune: false, reason: "kept" });
    trial.report(1, 0.7);
    expect(trial.shouldPrune()).toEqual({ prune: true, reason: "pruned: 0.7 above 0.5" });
    expect(pruner.seen[1].intermediate).toEqual({ 0: 0.3, 1: 0.7 });
    expect(study.tell(trial, "pruned").state).toBe("pruned");

    const plain = createStudy({ space }).ask();
    plain.report(0, 1e9);
    expect(plain.shouldPrune().prune).toBe(false);
  });

  it("refuses bad reports and tells with domain errors", () => {
    const study = createStudy({ space });
    const trial = study.ask();
    trial.report(0, 0.5);
    trial.report(0, 0.5); // a resent epoch is fine
    expect(errorOf(() => trial.report(0, 0.6))).toMatchObject({ code: "invalid_value" });
    expect(errorOf(() => trial.report(1, Number.NaN))).toMatchObject({ code: "invalid_value" });
    expect(errorOf(() => study.tell(99, 1))).toMatchObject({ code: "unknown_trial" });
    expect(study.tell(trial, Number.NaN).state).toBe("failed"); // as in Optuna: a NaN objective fails the trial
    expect(errorOf(() => study.tell(trial, 1))).toMatchObject({ code: "trial_finished" });
    expect(errorOf(() => trial.shouldPrune())).toMatchObject({ code: "trial_finished" });
  });

  it("rebuilds from stored trials and resumes exactly as an uninterrupted study would", () => {
    const sampler = () => createRandomSampler();
    const live = createStudy({ space, sampler: sampler(), seed: 8 });
    for (let i = 0; i < 6; i++) {
      const t = live.ask();
      if (i < 4) live.tell(t, i);
    }
    const stored = live.trials().map((t) => JSON.parse(JSON.stringify(t)) as FrozenTrial); // as a database returns them
    const rebuilt = Study.fromTrials(stored, { space, sampler: sampler(), seed: 8 });
    expect(rebuilt.trials()).toEqual(live.trials());
    expect(rebuilt.ask().params).toEqual(live.ask().params);
    expect(rebuilt.bestTrial!.number).toBe(0);
    rebuilt.trial(4).report(0, 0.1); // a restored running trial keeps reporting
    expect(rebuilt.tell(5, "failed").state).toBe("failed");
  });

  it("rejects inconsistent stored trials", () => {
    const t = { number: 0, state: "complete" as const, params: {}, value: 1 };
    expect(errorOf(() => createStudy({ trials: [t, t] }))).toMatchObject({ code: "invalid_trials" });
    expect(errorOf(() => createStudy({ trials: [{ ...t, value: null }] }))).toMatchObject({ code: "invalid_trials" });
  });

  it("does not hand out a stored configuration again (resumed grid, restored running trials)", () => {
    const small = spaceFromSpecs({ a: { kind: "categorical", values: [1, 2, 3] } });
    const trials = [
      { number: 0, state: "complete" as const, params: { a: 1 }, value: 0.5 },
      { number: 1, state: "running" as const, params: { a: 3 } },
    ];
    const study = createStudy({ space: small, sampler: createGridSampler(), trials });
    expect(study.ask().params).toEqual({ a: 2 });
    expect(isSearchError(errorOf(() => study.ask()), "space_exhausted")).toBe(true);
  });

  it("reports a sampler proposing values outside the spec", () => {
    const broken: Sampler = { name: "broken", sampleRelative: () => ({ x: 99 }), sampleIndependent: () => "adam" };
    expect(errorOf(() => createStudy({ space, sampler: broken }).ask())).toMatchObject({ code: "invalid_sample" });
  });
});

describe("define-by-run", () => {
  it("samples hp.int / float / choice / boolean through the sampler, once per name and trial", () => {
    const study = createStudy({ seed: 2, direction: "maximize" });
    const best = study.optimize((hp) => {
      const layers = hp.int("layers", 1, 3);
      let score = 0;
      for (let i = 1; i <= layers; i++) score += hp.int(`units_${i}`, 32, 256, { step: 32 }) / 256;
      const lr = hp.float("lr", 1e-4, 1e-1, { log: true });
      const optimizer = hp.choice("optimizer", ["adam", "sgd"]);
      if (optimizer === "sgd") score += hp.float("momentum", 0.5, 0.9);
      expect(hp.int("layers", 1, 3)).toBe(layers); // same value again
      return score + (hp.boolean("bn") ? 0.1 : 0) - Math.abs(Math.log10(lr) + 3) + hp.fixed("epochs", 5) * 0;
    }, 30);
    expect(best).not.toBeNull();
    for (const trial of study.trials()) {
      const p = trial.params;
      expect(trial.state).toBe("complete");
      expect(Object.keys(p).filter((k) => k.startsWith("units_"))).toHaveLength(p.layers as number);
      expect(((p.units_1 as number) - 32) % 32).toBe(0);
      expect("momentum" in p).toBe(p.optimizer === "sgd");
      expect(p.epochs).toBe(5);
    }
    const again = createStudy({ seed: 2, direction: "maximize" });
    again.optimize((hp) => hp.int("layers", 1, 3) + hp.float("lr", 1e-4, 1e-1, { log: true }), 3);
    expect(again.trials().map((t) => t.params.layers)).toEqual(study.trials().slice(0, 3).map((t) => t.params.layers));
  });

  it("records TrialPruned as pruned and other errors as failed (rethrown)", () => {
    const study = createStudy({ pruner: thresholdPruner(0.5) });
    study.optimize((hp, trial) => {
      trial.report(0, hp.float("x", 0, 1));
      trial.pruneIfNeeded();
      return 1;
    }, 20);
    const states = new Set(study.trials().map((t) => t.state));
    expect(states).toEqual(new Set(["complete", "pruned"]));
    expect(() => study.optimize(() => { throw new TrialPruned("by hand"); }, 1)).not.toThrow();
    expect(() => study.optimize(() => { throw new Error("boom"); }, 1)).toThrow("boom");
    expect(study.trials().at(-1)!.state).toBe("failed");
  });

  it("validates definitions with field-level errors and keeps a trial's value consistent", () => {
    const trial = createStudy().ask();
    expect(errorOf(() => trial.hp.float("lr", 0, 1, { log: true }))).toMatchObject({ code: "invalid_space", issues: [{ path: ["lr"], message: "a log range needs min > 0" }] });
    expect(errorOf(() => trial.hp.int("units", 1.5, 4))).toMatchObject({ code: "invalid_space" });
    expect(errorOf(() => trial.hp.choice("opt", []))).toMatchObject({ code: "invalid_space" });
    const units = trial.hp.int("units", 1, 4);
    expect(errorOf(() => trial.hp.int("units", 10, 20))).toMatchObject({ code: "invalid_space" });
    expect(trial.hp.int("units", 1, 8)).toBe(units);
  });

  it("combines a declared space with hp calls: declared parameters keep their sampled values", () => {
    const study = createStudy({ space, seed: 1 });
    const trial = study.ask();
    expect(trial.hp.float("x", -5, 5)).toBe(trial.params.x);
    const extra = trial.hp.int("batch", 16, 64);
    expect(trial.params.batch).toBe(extra);
  });

  it("runs async objectives with parallel trials and no duplicate configurations", async () => {
    const small = parseSearchSpace({ a: { values: [1, 2, 3, 4] }, b: { values: ["x", "y"] } });
    const study = createStudy({ space: small, seed: 3 });
    let running = 0;
    let peak = 0;
    await study.optimizeAsync(
      async (_hp, trial) => {
        peak = Math.max(peak, ++running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running -= 1;
        return trial.params.a as number;
      },
      { nTrials: 20, concurrency: 8 },
    );
    expect(peak).toBe(8);
    const keys = study.trials().map((t) => JSON.stringify(t.params));
    expect(keys).toHaveLength(8); // the space has 8 configurations; the loop stops when they are used up
    expect(new Set(keys).size).toBe(8);
    expect(study.bestTrial!.value).toBe(1);
  });
});
