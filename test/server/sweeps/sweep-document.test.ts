import { describe, expect, it } from "vitest";
import { parseSweepDocument, searchSpaceOf } from "../../../server/sweeps/sweep-document";
import { EXAMPLE_SWEEP } from "../../support/sweeps";

const clone = () => structuredClone(EXAMPLE_SWEEP) as Record<string, any>;

function errorsOf(input: unknown) {
  const result = parseSweepDocument(input);
  if (result.ok) throw new Error("expected the document to be rejected");
  return result.errors;
}

describe("sweep document", () => {
  it("accepts the README example and fills defaults", () => {
    const result = parseSweepDocument(EXAMPLE_SWEEP);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.dataset.validation_split).toBe(0.1);
    expect(result.document.metric).toEqual({ name: "val_accuracy", goal: "maximize" });
    expect(searchSpaceOf(result.document).units.spec).toEqual({ kind: "int", min: 32, max: 256, log: false });
  });

  it("defaults the goal from the metric and draws a seed when none is given", () => {
    const doc = clone();
    doc.metric = { name: "val_loss" };
    delete doc.seed;
    const result = parseSweepDocument(doc, 42);
    expect(result.ok && result.document.metric.goal).toBe("minimize");
    expect(result.ok && result.document.seed).toBe(42);
  });

  it.each([
    ["an unknown optimizer", (d: any) => (d.parameters.optimizer.values = ["adam", "adamx"]), "parameters.optimizer.values", "adamx"],
    ["min above max", (d: any) => (d.parameters.units = { min: 300, max: 32 }), "parameters.units.min", "must not exceed"],
    ["a negative trial budget", (d: any) => (d.budget.max_trials = -3), "budget.max_trials", ""],
    ["NaN", (d: any) => (d.parameters.learning_rate.min = Number.NaN), "parameters.learning_rate.min", ""],
    ["a string where a number belongs", (d: any) => (d.budget.concurrency = "2"), "budget.concurrency", ""],
    ["a missing dataset", (d: any) => delete d.dataset, "dataset", ""],
    ["an unknown dataset", (d: any) => (d.dataset.name = "imagenet"), "dataset.name", ""],
    ["an unknown parameter", (d: any) => (d.parameters.learning_rat = { value: 0.1 }), "parameters.learning_rat", "unknown parameter"],
    ["a fractional filter count", (d: any) => (d.parameters.filters.values = [16.5]), "parameters.filters.values", "integer"],
    ["a range for a categorical parameter", (d: any) => (d.parameters.optimizer = { min: 1, max: 2 }), "parameters.optimizer", "not a range"],
    ["a zero learning rate", (d: any) => (d.parameters.learning_rate = { value: 0 }), "parameters.learning_rate.value", "> 0"],
    ["an unknown top-level key", (d: any) => (d.budgett = {}), "", "budgett"],
  ])("rejects %s with a field error", (_label, mutate, path, message) => {
    const doc = clone();
    mutate(doc);
    const errors = errorsOf(doc);
    const match = errors.find((e) => e.path === path);
    expect(match, JSON.stringify(errors)).toBeDefined();
    expect(match!.message).toContain(message);
  });

  it("accepts every search method, conditional parameters and a pruner", () => {
    for (const method of ["random", "grid", "quasi-random", "tpe", "gp"]) {
      const doc = clone();
      doc.method = method;
      doc.parameters.learning_rate = { values: [0.001, 0.003] };
      expect(parseSweepDocument(doc).ok, method).toBe(true);
    }
    const doc = clone();
    doc.parameters.dropout = { min: 0, max: 0.5, when: { optimizer: ["adam"] } };
    doc.pruner = { type: "median", n_startup_trials: 3, n_warmup_steps: 1 };
    doc.early_stopping = { monitor: "val_loss", patience: 2, min_delta: 0.001, restore_best_weights: true };
    const result = parseSweepDocument(doc);
    expect(result.ok).toBe(true);
    expect(result.ok && result.document.early_stopping).toMatchObject({ mode: "auto", start_from_epoch: 0 });
  });

  it.each([
    ["a grid over a continuous range without a step", (d: any) => (d.method = "grid"), "parameters.learning_rate", "resolution"],
    ["an unknown method", (d: any) => (d.method = "bayes"), "method", ""],
    ["a negative patience", (d: any) => (d.early_stopping = { patience: -1 }), "early_stopping.patience", ""],
    ["an unknown early-stopping option", (d: any) => (d.early_stopping = { patients: 2 }), "early_stopping", "patients"],
    ["an unknown pruner", (d: any) => (d.pruner = { type: "sometimes" }), "pruner.type", ""],
    ["a bad pruner option", (d: any) => (d.pruner = { type: "median", n_startup_trials: -1 }), "pruner.n_startup_trials", "n_startup_trials: must be"],
    ["a condition on an unknown parameter", (d: any) => (d.parameters.dropout = { value: 0.2, when: { optimiser: ["sgd"] } }), "parameters.dropout.when.optimiser", ""],
    ["a per-layer parameter the template lacks", (d: any) => (d.parameters.units = { min: 8, max: 16, per_layer_of: "conv_layers" }), "parameters.units.per_layer_of", "per-layer"],
  ])("rejects %s with a field error", (_label, mutate, path, message) => {
    const doc = clone();
    doc.parameters.conv_layers = { min: 1, max: 2 };
    mutate(doc);
    const errors = errorsOf(doc);
    const match = errors.find((e) => e.path === path);
    expect(match, JSON.stringify(errors)).toBeDefined();
    expect(match!.message).toContain(message);
  });

  it("accepts the training parameters (optimizers, schedules, losses, class weights) and a checkpoint block", () => {
    const doc = clone();
    doc.parameters.optimizer = { values: ["adamw", "nesterov", "momentum"] };
    doc.parameters.weight_decay = { min: 0.0001, max: 0.1, distribution: "log_uniform_values" };
    doc.parameters.lr_schedule = { values: ["cosine", "plateau"] };
    doc.parameters.loss = { value: "categorical_crossentropy" };
    doc.parameters.class_weight = { value: "balanced" };
    doc.checkpoint = { monitor: "val_accuracy" };
    const result = parseSweepDocument(doc);
    expect(result.ok, JSON.stringify(!result.ok && result.errors)).toBe(true);
    expect(result.ok && result.document.checkpoint).toEqual({ monitor: "val_accuracy", mode: "auto" });
    doc.parameters.lr_schedule = { value: "exponential" };
    expect(errorsOf(doc).map((e) => e.path)).toContain("parameters.lr_schedule.value");
    doc.checkpoint = { monitor: "f1" };
    expect(errorsOf(doc).map((e) => e.path)).toContain("checkpoint.monitor");
  });

  it("rejects what is not an object", () => {
    expect(errorsOf(null)[0].path).toBe("");
    expect(errorsOf("sweep")[0].path).toBe("");
  });
});
