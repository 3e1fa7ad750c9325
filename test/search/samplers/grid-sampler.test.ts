import { describe, expect, it } from "vitest";
import { parseSearchSpace, spaceFromSpecs } from "../../../search/space";
import { createGridSampler } from "../../../search/samplers";
import { Study, createStudy } from "../../../search/study";
import { errorOf } from "../../support/errors";

const space = parseSearchSpace({
  optimizer: { values: ["adam", "sgd"] },
  momentum: { values: [0.9, 0.99], when: { optimizer: "sgd" } },
  lr: { distribution: "log_uniform_values", min: 1e-3, max: 1e-1 },
  dropout: { min: 0, max: 0.2, q: 0.1, distribution: "q_uniform" },
});


describe("grid sampler", () => {
  it("visits every configuration once in lexicographic order, log-spacing continuous ranges by gridPoints", () => {
    const study = createStudy({ space, sampler: createGridSampler({ gridPoints: 3 }) });
    study.optimize(() => 0, 100);
    const params = study.trials().map((t) => t.params);
    expect(params).toHaveLength((1 + 2) * 3 * 3); // adam, sgd×2 momenta; 3 lr points; dropout 0, 0.1, 0.2
    expect(new Set(params.map((p) => JSON.stringify(p))).size).toBe(params.length);
    expect(params[0]).toEqual({ optimizer: "adam", lr: 1e-3, dropout: 0 });
    expect(params[1]).toEqual({ optimizer: "adam", lr: 1e-3, dropout: 0.1 });
    expect(params.slice(0, 9).map((p) => p.lr)).toEqual([1e-3, 1e-3, 1e-3, 1e-2, 1e-2, 1e-2, 0.1, 0.1, 0.1].map((v, i) => (i >= 3 && i < 6 ? expect.closeTo(v, 12) : v)));
    expect(params.filter((p) => p.optimizer === "sgd").every((p) => p.momentum === 0.9 || p.momentum === 0.99)).toBe(true);
  });

  it("resumes from stored trials (finished and running) without repeating or skipping", () => {
    const sampler = () => createGridSampler({ gridPoints: 2, shuffle: true });
    const full = createStudy({ space, sampler: sampler(), seed: 4 });
    full.optimize(() => 0, 100);
    const order = full.trials().map((t) => t.params);

    const first = createStudy({ space, sampler: sampler(), seed: 4 });
    for (let i = 0; i < 5; i++) {
      const t = first.ask();
      if (i % 2 === 0) first.tell(t, 0); // the others stay running
    }
    const resumed = Study.fromTrials(JSON.parse(JSON.stringify(first.trials())), { space, sampler: sampler(), seed: 4 });
    resumed.optimize(() => 0, 100);
    expect(resumed.trials().map((t) => t.params)).toEqual(order);
  });

  it("asks for a resolution of continuous ranges, and refuses oversized grids", () => {
    expect(errorOf(() => createStudy({ space, sampler: createGridSampler() }).ask())).toMatchObject({
      code: "grid_resolution",
      issues: [{ path: ["lr"], message: expect.stringContaining("give it a step (q) or set gridPoints") }],
    });
    const perName = createStudy({ space, sampler: createGridSampler({ gridPoints: { lr: 2 } }) });
    expect(perName.ask().params.lr).toBe(1e-3);
    const huge = spaceFromSpecs({ a: { kind: "int", min: 0, max: 999, log: false }, b: { kind: "int", min: 0, max: 999, log: false } });
    expect(errorOf(() => createStudy({ space: huge, sampler: createGridSampler() }).ask())).toMatchObject({ code: "grid_too_large" });
  });
});
