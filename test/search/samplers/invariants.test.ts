// Contract every sampler keeps, whatever its strategy (see all-samplers.ts for the list).
import { describe, expect, it } from "vitest";
import { isSearchError } from "../../../search/errors";
import type { Params } from "../../../search/parameters";
import { activeParameters, parseSearchSpace, specContains } from "../../../search/space";
import { createStudy } from "../../../search/study";
import type { Sampler } from "../../../search/types";
import { ALL_SAMPLERS } from "./all-samplers";

// Mixed and conditional: log floats, stepped ints, categoricals, a constant, per-layer units, a sgd-only momentum.
const conditionalSpace = parseSearchSpace({
  optimizer: { values: ["adam", "sgd", "rmsprop"] },
  learning_rate: { distribution: "log_uniform_values", min: 1e-4, max: 1e-1 },
  momentum: { min: 0.5, max: 0.99, when: { optimizer: "sgd" } },
  dense_layers: { min: 1, max: 3 },
  units: { min: 16, max: 112, q: 32, distribution: "int_uniform", per_layer_of: "dense_layers" },
  dropout: { min: 0, max: 0.5, q: 0.1, distribution: "q_uniform" },
  batch_norm: { values: [true, false] },
  epochs: { value: 5 },
});

// 2 + 2 * 3 = 8 configurations (momentum_like only for sgd): small enough to exhaust.
const smallSpace = parseSearchSpace({
  optimizer: { values: ["adam", "sgd"] },
  momentum: { values: [0.8, 0.9, 0.99], when: { optimizer: "sgd" } },
  layers: { min: 1, max: 2 },
});

/** A deterministic objective over any configuration. */
function objective(params: Params): number {
  return Object.entries(params).reduce((sum, [name, value]) => {
    const x = typeof value === "number" ? value : typeof value === "boolean" ? Number(value) : value.length;
    return sum + ((name.length * 7919 + x * 104729) % 97) / 97;
  }, 0);
}

function runStudy(sampler: Sampler, seed: number, trials: number, concurrency: number) {
  const study = createStudy({ space: conditionalSpace, sampler, seed, direction: "minimize" });
  const proposals: Params[] = [];
  while (proposals.length < trials) {
    const batch = Array.from({ length: Math.min(concurrency, trials - proposals.length) }, () => study.ask());
    for (const trial of batch) {
      proposals.push({ ...trial.params });
      study.tell(trial, objective(trial.params));
    }
  }
  return { study, proposals };
}

describe.each(ALL_SAMPLERS)("sampler contract: $name", ({ create }) => {
  it("keeps every value inside its spec, and exactly the active parameters present", () => {
    const { proposals } = runStudy(create(3), 3, 60, 4);
    for (const params of proposals) {
      expect(Object.keys(params)).toEqual(activeParameters(conditionalSpace, params));
      for (const [name, value] of Object.entries(params)) expect(specContains(conditionalSpace[name].spec, value), `${name}=${value}`).toBe(true);
      expect("momentum" in params).toBe(params.optimizer === "sgd");
      const layers = params.dense_layers as number;
      for (let i = 1; i <= 3; i++) expect(`units_${i}` in params).toBe(i <= layers);
    }
  });

  it("is deterministic under a seed: same seed and same tells give the same parameters", () => {
    expect(runStudy(create(11), 11, 30, 3).proposals).toEqual(runStudy(create(11), 11, 30, 3).proposals);
  });

  it("never hands out a configuration already running, with 8 concurrent asks, and reports a finite space exhausted", () => {
    const study = createStudy({ space: smallSpace, sampler: create(5), seed: 5 });
    const running = Array.from({ length: 8 }, () => study.ask());
    const keys = running.map((t) => JSON.stringify(t.params));
    expect(new Set(keys).size).toBe(8);
    for (const trial of running) study.tell(trial, objective(trial.params));
    let error: unknown;
    try {
      study.ask();
    } catch (e) {
      error = e;
    }
    expect(isSearchError(error, "space_exhausted")).toBe(true);
    expect(study.trials()).toHaveLength(8); // the failed ask left no trial behind
  });

  it("never repeats a configuration over a long run on a discrete space with running and finished trials", () => {
    const discrete = parseSearchSpace({ a: { min: 1, max: 6 }, b: { values: ["x", "y", "z"] }, c: { values: [true, false], when: { b: "x" } } });
    const study = createStudy({ space: discrete, sampler: create(9), seed: 9 });
    const seen = new Set<string>();
    const open = [];
    for (let i = 0; i < 24; i++) {
      const trial = study.ask();
      const key = JSON.stringify(trial.params);
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      open.push(trial);
      if (open.length === 8) study.tell(open.shift()!, objective(trial.params));
    }
  });

  it("keeps finished trials immutable", () => {
    const study = createStudy({ space: conditionalSpace, sampler: create(1), seed: 1 });
    const trial = study.ask();
    trial.report(0, 0.5);
    const finished = study.tell(trial, 0.25);
    expect(Object.isFrozen(finished) && Object.isFrozen(finished.params) && Object.isFrozen(finished.intermediate)).toBe(true);
    for (const change of [() => study.tell(trial, 0.1), () => study.tell(trial.number, "pruned"), () => trial.report(1, 0.4), () => trial.hp.int("extra", 1, 3)]) {
      expect(change).toThrowError(expect.objectContaining({ code: "trial_finished" }));
    }
    study.ask();
    expect(study.trials()[0]).toEqual(finished);
  });
});
