import { describe, expect, it } from "vitest";
import { pedAnovaImportance } from "../../../search/importance/index";
import type { Params } from "../../../search/parameters";
import { createRng } from "../../../search/rng";
import type { FrozenTrial, SearchSpace } from "../../../search/types";

const space: SearchSpace = {
  lr: { spec: { kind: "float", min: 1e-5, max: 1e-1, log: true } },
  units: { spec: { kind: "int", min: 16, max: 256, log: false } },
  dropout: { spec: { kind: "float", min: 0, max: 0.5, log: false } },
  optimizer: { spec: { kind: "categorical", values: ["adam", "sgd", "rmsprop"] } },
  momentum: { spec: { kind: "float", min: 0, max: 0.99, log: false }, when: [{ param: "optimizer", in: ["sgd"] }] },
  seed_tag: { spec: { kind: "constant", value: "x" } },
};

/** Random trials whose loss depends on lr only (plus small noise), or on `relevant` when given. */
function trials(n: number, objective: (p: Params, noise: number) => number, seed = 1): FrozenTrial[] {
  const r = createRng(seed);
  return Array.from({ length: n }, (_, number) => {
    const optimizer = ["adam", "sgd", "rmsprop"][Math.floor(r() * 3)];
    const params: Params = {
      lr: 10 ** (-5 + 4 * r()),
      units: 16 + Math.floor(r() * 241),
      dropout: 0.5 * r(),
      optimizer,
      seed_tag: "x",
    };
    if (optimizer === "sgd") params.momentum = 0.99 * r();
    return { number, state: "complete", params, value: objective(params, 0.05 * (r() - 0.5)), intermediate: {}, systemAttrs: {} };
  });
}

describe("PED-ANOVA importance", () => {
  it("finds the one relevant parameter among noise parameters", () => {
    const result = pedAnovaImportance(trials(1000, (p, e) => (Math.log10(p.lr as number) + 3) ** 2 + e), space, "minimize");
    expect(result[0].param).toBe("lr");
    expect(result[0].importance).toBeGreaterThan(0.7);
    expect(result.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 10);
    expect(result.find((r) => r.param === "seed_tag")?.importance).toBe(0);
  });

  it("handles categorical and conditional parameters, and the direction", () => {
    // Higher is better only with sgd and high momentum: both optimizer and momentum matter, lr does not.
    const objective = (p: Params, e: number) => (p.optimizer === "sgd" ? (p.momentum as number) : 0) + e;
    const result = pedAnovaImportance(trials(2000, objective, 5), space, "maximize");
    expect(result.slice(0, 2).map((r) => r.param).sort()).toEqual(["momentum", "optimizer"]);
    // Minimising, the best trials are the non-sgd ones (momentum inactive): the optimizer still leads.
    const flipped = pedAnovaImportance(trials(2000, objective, 5), space, "minimize");
    expect(["optimizer", "momentum"]).toContain(flipped[0].param);
    expect(flipped.find((r) => r.param === "lr")!.importance).toBeLessThan(0.1);
  });

  it("is deterministic, ignores unfinished trials and returns zeros for too few trials", () => {
    const data = trials(300, (p, e) => (p.units as number) / 256 + e);
    expect(pedAnovaImportance(data, space, "maximize")).toEqual(pedAnovaImportance(data, space, "maximize"));
    const withPruned = [...data, { ...data[0], number: 999, state: "pruned" as const, value: null }];
    expect(pedAnovaImportance(withPruned, space, "maximize")).toEqual(pedAnovaImportance(data, space, "maximize"));
    expect(pedAnovaImportance(data.slice(0, 3), space, "maximize").every((r) => r.importance === 0)).toBe(true);
  });

  it("runs 10k trials well under 2 s", () => {
    const data = trials(10_000, (p, e) => (Math.log10(p.lr as number) + 3) ** 2 + e);
    const start = performance.now();
    const result = pedAnovaImportance(data, space, "minimize");
    const elapsed = performance.now() - start;
    expect(elapsed).toBeLessThan(2000);
    expect(result[0].param).toBe("lr");
  });
});
