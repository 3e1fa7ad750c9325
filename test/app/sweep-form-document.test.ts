import { describe, expect, it } from "vitest";
import { DEFAULT_FORM_VALUES, buildSweepDocument, errorSlotFor, placeErrors, withoutErrorsFor, type SweepFormValues } from "../../app/lib/sweep-form-document";
import { parseSweepDocument } from "../../server/sweeps/sweep-document";
import { EXAMPLE_SWEEP } from "../support/sweeps";

const form = (overrides: Partial<SweepFormValues> = {}): SweepFormValues => ({ ...DEFAULT_FORM_VALUES, name: "fmnist-quick", ...overrides });

describe("buildSweepDocument", () => {
  it("builds the README's example from the default form plus a name and seed", () => {
    expect(buildSweepDocument(form({ seed: "1" }))).toEqual(EXAMPLE_SWEEP);
  });

  it("sends no pruner and the random method until the user picks others", () => {
    const doc = buildSweepDocument(form());
    expect(doc.method).toBe("random");
    expect("pruner" in doc).toBe(false);
  });

  it("builds documents the server accepts", () => {
    const result = parseSweepDocument(buildSweepDocument(form()), 7);
    expect(result.ok).toBe(true);
  });

  it("sends priority and the GPU requirement only when set, and the server accepts them", () => {
    expect(buildSweepDocument(form())).not.toHaveProperty("priority");
    expect(buildSweepDocument(form())).not.toHaveProperty("resources");
    const doc = buildSweepDocument(form({ priority: "3", gpu: true }));
    expect(doc).toMatchObject({ priority: 3, resources: { gpu: true } });
    const parsed = parseSweepDocument(doc, 7);
    expect(parsed.ok && parsed.document).toMatchObject({ priority: 3, resources: { gpu: true } });
    expect(errorSlotFor("priority")).toBe("priority");
    expect(errorSlotFor("resources.gpu")).toBe("gpu");
  });

  it("uses a uniform distribution when log scale is off", () => {
    const doc = buildSweepDocument(form({ "learning_rate.log": false }));
    expect(doc.parameters.learning_rate).toEqual({ distribution: "uniform", min: 0.0001, max: 0.01 });
  });

  it("leaves out blank parameters, subset and seed so the defaults apply", () => {
    const doc = buildSweepDocument(form({ filters: " ", "units.min": "", "units.max": "", optimizer: [], subset: "", seed: "" }));
    expect(Object.keys(doc.parameters)).toEqual(["learning_rate", "kernel_size", "batch_size", "epochs"]);
    expect(doc.dataset).toEqual({ name: "fashion-mnist" });
    expect("seed" in doc).toBe(false);
  });

  it("accepts lists separated by commas or spaces", () => {
    expect(buildSweepDocument(form({ filters: "8,16  32" })).parameters.filters).toEqual({ values: [8, 16, 32] });
  });

  it("sends text that is not a number as typed, so the server reports it at the field", () => {
    const doc = buildSweepDocument(form({ kernel_size: "3, five" }));
    expect(doc.parameters.kernel_size).toEqual({ values: [3, "five"] });
    for (const [overrides, slot] of [
      [{ kernel_size: "3, five" }, "kernel_size"],
      [{ "units.max": "lots" }, "units.max"],
    ] as const) {
      const result = parseSweepDocument(buildSweepDocument(form(overrides)), 1);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(placeErrors(result.errors).bySlot[slot]).toBeDefined();
    }
  });

  it("sends the chosen metric and goal", () => {
    expect(buildSweepDocument(form({ metric: "val_loss", goal: "minimize" })).metric).toEqual({ name: "val_loss", goal: "minimize" });
  });
});

describe("placing server errors", () => {
  it.each([
    ["name", "name"],
    ["dataset.subset", "subset"],
    ["parameters.learning_rate.min", "learning_rate.min"],
    ["parameters.units.max", "units.max"],
    ["parameters.learning_rate", "group:learning_rate"],
    ["parameters.learning_rate.distribution", "group:learning_rate"],
    ["parameters.filters.values.1", "filters"],
    ["parameters.optimizer.values.0", "optimizer"],
    ["parameters.epochs.value", "epochs"],
    ["budget.max_trials", "max_trials"],
    ["budget.concurrency", "concurrency"],
    ["metric.goal", "goal"],
    ["seed", "seed"],
    ["method", "method"],
    ["parameters.learning_rate.values.0", "learning_rate.values"],
    ["pruner", "pruner.type"],
    ["pruner.type", "pruner.type"],
    ["pruner.n_startup_trials", "pruner.n_startup_trials"],
    ["pruner.max_resource", "pruner.max_resource"],
    ["pruner.smoothing_window", "pruner.type"],
  ])("%s goes to %s", (path, slot) => {
    expect(errorSlotFor(path)).toBe(slot);
  });

  it("lists errors no field owns at the top", () => {
    const placed = placeErrors([
      { path: "", message: "body is not valid JSON" },
      { path: "parameters.dropout_rate", message: "unknown parameter" },
      { path: "name", message: "name is required" },
    ]);
    expect(placed.unplaced.map((e) => e.path)).toEqual(["", "parameters.dropout_rate"]);
    expect(placed.bySlot.name).toEqual(["name is required"]);
  });

  it("places every error the server gives for a bad form", () => {
    const result = parseSweepDocument(buildSweepDocument(form({ name: "", subset: "50", "learning_rate.min": "0", max_trials: "0", epochs: "1000" })), 1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const placed = placeErrors(result.errors);
    expect(placed.unplaced).toEqual([]);
    expect(Object.keys(placed.bySlot).sort()).toEqual(["epochs", "learning_rate.min", "max_trials", "name", "subset"]);
  });
});

describe("withoutErrorsFor", () => {
  it("drops a field's errors and its range's errors once the field is edited", () => {
    const placed = placeErrors([
      { path: "parameters.learning_rate.min", message: "a log distribution needs min > 0" },
      { path: "parameters.learning_rate", message: "give exactly one of ..." },
      { path: "name", message: "name is required" },
    ]);
    expect(Object.keys(withoutErrorsFor(placed, "learning_rate.min").bySlot)).toEqual(["name"]);
    expect(withoutErrorsFor(placed, "seed")).toBe(placed);
  });
});
