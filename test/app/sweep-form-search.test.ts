// The form's search method and pruner choices: the documents they build, and that the server accepts them.
import { describe, expect, it } from "vitest";
import { gridSize } from "../../app/lib/grid-size";
import { METHOD_NAMES, PRUNER_CHOICES, PRUNER_TYPES, describePruner, methodLabel } from "../../app/lib/search-choices";
import { DEFAULT_FORM_VALUES, buildSweepDocument, placeErrors, type SweepFormValues } from "../../app/lib/sweep-form-document";
import { parseSweepDocument } from "../../server/sweeps/sweep-document";
import { SAMPLER_NAMES } from "../../search/samplers/registry";
import { PRUNER_NAMES } from "../../search/pruners/index";

const form = (overrides: Partial<SweepFormValues> = {}): SweepFormValues => ({ ...DEFAULT_FORM_VALUES, name: "fmnist-quick", seed: "1", ...overrides });
/** A grid-ready space: learning_rate as a list, units fixed, so the grid is small. */
const gridForm = (overrides: Partial<SweepFormValues> = {}) =>
  form({ method: "grid", "learning_rate.mode": "values", "units.min": "64", "units.max": "64", ...overrides });

function accepted(values: SweepFormValues) {
  const result = parseSweepDocument(buildSweepDocument(values), 1);
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.errors)}`);
  return result.document;
}

function rejectedAt(values: SweepFormValues) {
  const result = parseSweepDocument(buildSweepDocument(values), 1);
  expect(result.ok).toBe(false);
  return result.ok ? {} : placeErrors(result.errors).bySlot;
}

describe("search method", () => {
  it("offers every sampler the server knows", () => {
    expect([...METHOD_NAMES].sort()).toEqual([...SAMPLER_NAMES].sort());
  });

  it.each(["random", "quasi-random", "tpe", "gp"] as const)("sends method %s and the server accepts it", (method) => {
    const values = form({ method });
    expect(buildSweepDocument(values).method).toBe(method);
    expect(accepted(values).method).toBe(method);
  });

  it("sends learning_rate as a list of values in values mode", () => {
    expect(buildSweepDocument(form({ "learning_rate.mode": "values", "learning_rate.values": "0.001, 0.01" })).parameters.learning_rate).toEqual({
      values: [0.001, 0.01],
    });
  });

  it("builds a grid the server accepts once learning_rate is a list", () => {
    expect(accepted(gridForm()).method).toBe("grid");
  });

  it("shows the server's grid complaint about a continuous learning_rate under its row", () => {
    expect(rejectedAt(gridForm({ "learning_rate.mode": "range" }))["group:learning_rate"]?.[0]).toMatch(/step|resolution/);
  });

  it("places a bad learning_rate value at the values input", () => {
    expect(rejectedAt(gridForm({ "learning_rate.values": "0.001, fast" }))["learning_rate.values"]).toBeDefined();
  });
});

describe("gridSize", () => {
  it("multiplies the values of every parameter, integer ranges included", () => {
    // learning_rate 3 × filters 3 × kernel_size 2 × units 1 × batch_size 2 × optimizer 3 × epochs 1
    expect(gridSize(buildSweepDocument(gridForm()).parameters)).toEqual({ configurations: 108 });
    expect(gridSize(buildSweepDocument(gridForm({ "units.min": "32", "units.max": "41" })).parameters)).toEqual({ configurations: 1080 });
  });

  it("names the continuous ranges a grid cannot enumerate", () => {
    expect(gridSize(buildSweepDocument(form()).parameters)).toEqual({ continuous: ["learning_rate"] });
  });
});

describe("pruner", () => {
  it("offers every pruner the server knows (successive-halving under its ASHA name)", () => {
    expect([...PRUNER_TYPES, "successive-halving"].sort()).toEqual([...PRUNER_NAMES].sort());
  });

  it.each([
    ["median", { type: "median", n_startup_trials: 5, n_warmup_steps: 1 }],
    ["percentile", { type: "percentile", percentile: 25, n_startup_trials: 5, n_warmup_steps: 1 }],
    ["asha", { type: "asha", min_resource: 1, reduction_factor: 3 }],
    ["hyperband", { type: "hyperband", min_resource: 1, max_resource: 3, reduction_factor: 3 }],
    ["threshold", { type: "threshold", lower: 0.2, n_warmup_steps: 1 }],
  ] as const)("sends the %s pruner with its defaults, and the server accepts it", (type, expected) => {
    const values = form({ "pruner.type": type });
    expect(buildSweepDocument(values).pruner).toEqual(expected);
    expect(accepted(values).pruner).toEqual(expected);
  });

  it("sends only the chosen pruner's options, typed ones included", () => {
    const values = form({ "pruner.type": "median", "pruner.interval_steps": "2", "pruner.percentile": "10", "pruner.lower": "0.5" });
    expect(buildSweepDocument(values).pruner).toEqual({ type: "median", n_startup_trials: 5, n_warmup_steps: 1, interval_steps: 2 });
  });

  it("gives hyperband the epochs as max_resource unless the user sets one", () => {
    expect(buildSweepDocument(form({ "pruner.type": "hyperband", epochs: "9" })).pruner).toMatchObject({ max_resource: 9 });
    expect(buildSweepDocument(form({ "pruner.type": "hyperband", epochs: "", "pruner.max_resource": "" })).pruner).toMatchObject({ max_resource: 3 });
    expect(buildSweepDocument(form({ "pruner.type": "hyperband", "pruner.max_resource": "27" })).pruner).toMatchObject({ max_resource: 27 });
  });

  it("works with every method", () => {
    for (const method of METHOD_NAMES.filter((m) => m !== "grid")) accepted(form({ method, "pruner.type": "asha" }));
    accepted(gridForm({ "pruner.type": "hyperband" }));
  });

  it.each([
    [{ "pruner.type": "asha", "pruner.reduction_factor": "1" }, "pruner.reduction_factor"],
    [{ "pruner.type": "hyperband", "pruner.max_resource": "1" }, "pruner.max_resource"],
    [{ "pruner.type": "median", "pruner.n_startup_trials": "many" }, "pruner.n_startup_trials"],
    [{ "pruner.type": "threshold", "pruner.lower": "" }, "pruner.lower"],
  ] as const)("shows the server's pruner errors next to the option (%o)", (overrides, slot) => {
    expect(rejectedAt(form(overrides))[slot]).toBeDefined();
  });

  it("lists the options of every pruner choice once", () => {
    for (const type of PRUNER_TYPES) expect(new Set(PRUNER_CHOICES[type].options).size).toBe(PRUNER_CHOICES[type].options.length);
  });
});

describe("labels for the sweep page", () => {
  it("names methods and describes pruners", () => {
    expect(methodLabel("tpe")).toBe("TPE");
    expect(methodLabel("bohb")).toBe("bohb");
    expect(describePruner({ type: "median", n_startup_trials: 5, n_warmup_steps: 1 })).toBe("Median (n_startup_trials 5, n_warmup_steps 1)");
    expect(describePruner({ type: "none" })).toBeNull();
    expect(describePruner(undefined)).toBeNull();
  });
});
