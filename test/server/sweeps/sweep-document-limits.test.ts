// Limits on a sweep document: each broken one is a field error naming the path, the error list stays small and
// cheap whatever the document, and values that used to be stored (NUL text, 5 MB labels, 1M-value lists,
// reserved names, a pruner metric overriding the sweep's, priority 5e-324) are refused.
import { describe, expect, it } from "vitest";
import { RESERVED_PARAMETER_NAMES } from "../../../search/space/names";
import { DOCUMENT_LIMITS } from "../../../server/sweeps/document-limits";
import { parseSweepDocument } from "../../../server/sweeps/sweep-document";
import { EXAMPLE_SWEEP } from "../../support/sweeps";
import { tabularSweep } from "../../support/tabular";

type Doc = Record<string, any>;
const clone = (): Doc => structuredClone(EXAMPLE_SWEEP);

function errorsOf(input: unknown) {
  const result = parseSweepDocument(input);
  if (result.ok) throw new Error("expected the document to be rejected");
  return result.errors;
}

const messageAt = (input: unknown, path: string) => {
  const errors = errorsOf(input);
  const match = errors.find((e) => e.path === path);
  if (!match) throw new Error(`no error at ${path}: ${JSON.stringify(errors).slice(0, 500)}`);
  return match.message;
};

describe("sweep document limits", () => {
  it("refuses NUL and lone surrogates before they reach the database, naming the field", () => {
    expect(messageAt({ ...clone(), name: "a\u0000b" }, "name")).toContain("NUL");
    const doc = clone();
    doc.parameters.optimizer.values = ["adam", "sgd", "rmsprop", "x\uD83D"];
    expect(messageAt(doc, "parameters.optimizer.values.3")).toContain("surrogate");
    expect(messageAt({ ...clone(), description: "ok \uDE00" }, "description")).toContain("surrogate");
  });

  it("caps string lengths: name, description, csv label, file, column names, values", () => {
    expect(messageAt({ ...clone(), name: "n".repeat(101) }, "name")).toMatch(/100/);
    expect(messageAt({ ...clone(), description: "d".repeat(2001) }, "description")).toMatch(/2000/);
    const csv = (dataset: Doc) => ({ ...tabularSweep(), dataset: { ...tabularSweep().dataset, ...dataset } });
    expect(messageAt(csv({ label: "l".repeat(5_000_000) }), "dataset.label")).toMatch(/2000/);
    expect(messageAt(csv({ label: "l".repeat(201) }), "dataset.label")).toMatch(/200/);
    expect(messageAt(csv({ file: `${"f".repeat(497)}.csv` }), "dataset.file")).toMatch(/500/);
    expect(messageAt(csv({ ignore: ["id", "c".repeat(201)] }), "dataset.ignore.1")).toMatch(/200/);
    const doc = clone();
    doc.parameters.optimizer = { value: "o".repeat(201) };
    expect(messageAt(doc, "parameters.optimizer.value")).toMatch(/at most 200 characters/);
  });

  it("caps list lengths: values, parameters", () => {
    const huge = clone();
    huge.parameters.filters = { values: Array.from({ length: 1_000_000 }, (_, i) => i) };
    expect(messageAt(huge, "parameters.filters.values")).toMatch(/more than 10000 entries/);
    const many = clone();
    many.parameters.filters = { values: Array.from({ length: 1001 }, (_, i) => i + 1) };
    expect(messageAt(many, "parameters.filters.values")).toMatch(/at most 1000 values/);
    const wide = clone();
    for (let i = 0; i < 201; i++) wide.parameters[`p${i}`] = { value: 1 };
    expect(messageAt(wide, "parameters")).toMatch(/at most 200/);
  });

  it("rejects the 10,000-parameter unknown-reference document quickly with a small answer", () => {
    const parameters: Doc = {};
    for (let i = 0; i < 10_000; i++) parameters[`param_${i}`] = i % 2 ? { min: 1, max: 2, per_layer_of: `missing_${i}` } : { value: 1, when: { [`ghost_${i}`]: 1 } };
    const document = { ...clone(), parameters };
    expect(JSON.stringify(document).length).toBeGreaterThan(300_000);
    const started = performance.now();
    const errors = errorsOf(document);
    // Generous for a loaded CI box; the quadratic version took over a minute at this size.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(errors.length).toBeLessThanOrEqual(DOCUMENT_LIMITS.errors);
    expect(JSON.stringify(errors).length).toBeLessThan(DOCUMENT_LIMITS.errors * (DOCUMENT_LIMITS.errorMessageLength + 400));
  });

  it("bounds the error list of a document with many errors", () => {
    const doc = clone();
    for (let i = 0; i < 100; i++) doc.parameters[`unknown_${i}`] = { value: 1 };
    const errors = errorsOf(doc);
    expect(errors).toHaveLength(20);
    expect(errors.at(-1)!.message).toMatch(/^…and \d+ more errors$/);
    expect(errors.every((e) => e.message.length <= 300)).toBe(true);
  });

  it.each([...RESERVED_PARAMETER_NAMES])("refuses the reserved parameter name %s", (name) => {
    const doc = clone();
    const parameters = JSON.parse(JSON.stringify(doc.parameters).replace(/^\{/, `{${JSON.stringify(name)}:{"value":1},`));
    expect(messageAt({ ...doc, parameters }, `parameters.${name}`)).toMatch(/__proto__|reserved/);
  });

  it("treats reserved names in references as unknown parameters, never as Object.prototype members", () => {
    for (const ref of ["constructor", "toString", "hasOwnProperty"]) {
      const when = clone();
      when.parameters.kernel_size = { value: 3, when: { [ref]: 1 } };
      expect(messageAt(when, `parameters.kernel_size.when.${ref}`)).toContain(`unknown parameter \`${ref}\``);
      const perLayer = clone();
      perLayer.parameters.units = { min: 32, max: 64, per_layer_of: ref };
      expect(messageAt(perLayer, "parameters.units.per_layer_of")).toContain(`unknown parameter \`${ref}\``);
    }
    const layer = clone();
    layer.parameters.valueOf_1 = { value: 1 };
    expect(errorsOf(layer).map((e) => e.path)).toEqual(["parameters.valueOf_1"]);
  });

  it("refuses a pruner metric other than the sweep's, and accepts the same one", () => {
    const other = { ...clone(), pruner: { type: "median", metric: "val_loss" } };
    expect(messageAt(other, "pruner.metric")).toContain("val_accuracy");
    expect(parseSweepDocument({ ...clone(), pruner: { type: "median", metric: "val_accuracy" } }).ok).toBe(true);
    expect(messageAt({ ...clone(), pruner: { type: "median", step_name: "s".repeat(101) } }, "pruner.step_name")).toMatch(/100/);
    expect(messageAt({ ...clone(), pruner: { type: "threshold", lower: -1e300 } }, "pruner.lower")).toMatch(/1e\+30/);
  });

  it("requires a sane priority and finite, bounded budget numbers", () => {
    expect(messageAt({ ...clone(), priority: 5e-324 }, "priority")).toMatch(/0\.01/);
    expect(parseSweepDocument({ ...clone(), priority: 0.01 }).ok).toBe(true);
    expect(messageAt({ ...clone(), priority: Infinity }, "priority")).toBeTruthy();
    expect(messageAt({ ...clone(), budget: { max_trials: 2, target_value: 1e308 } }, "budget.target_value")).toBeTruthy();
    expect(messageAt({ ...clone(), budget: { max_trials: 2, max_minutes: Infinity } }, "budget.max_minutes")).toBeTruthy();
    expect(messageAt({ ...clone(), budget: { max_trials: Number.NaN } }, "budget.max_trials")).toBeTruthy();
  });
});
