// Sweep documents per model template: the new CNN and MLP parameters, per_layer_of where the template builds
// per-layer layers, and field-level errors for everything else.
import { describe, expect, it } from "vitest";
import { parseSweepDocument, searchSpaceOf } from "../../../server/sweeps/sweep-document";
import { EXAMPLE_SWEEP } from "../../support/sweeps";

const doc = (template: string, parameters: Record<string, unknown>) => ({ ...structuredClone(EXAMPLE_SWEEP), model: { template }, parameters });

function errorsOf(input: unknown) {
  const result = parseSweepDocument(input, 1);
  if (result.ok) throw new Error("expected the document to be rejected");
  return result.errors;
}

describe("template parameters in sweep documents", () => {
  it("accepts the CNN's architecture parameters and per-layer filters, kernel sizes and units", () => {
    const result = parseSweepDocument(
      doc("cnn", {
        conv_layers: { min: 1, max: 3 },
        filters: { values: [16, 32, 64], per_layer_of: "conv_layers" },
        kernel_size: { values: [3, 5], per_layer_of: "conv_layers" },
        strides: { values: [1, 2] },
        padding: { values: ["same", "valid"] },
        batch_norm: { values: [true, false] },
        pooling: { values: ["max", "avg", "none"] },
        conv_dropout: { min: 0, max: 0.3 },
        head: { values: ["flatten", "global_average"] },
        dense_layers: { min: 0, max: 2 },
        units: { min: 16, max: 256, per_layer_of: "dense_layers" },
        activation: { values: ["relu", "leaky_relu", "gelu", "swish"] },
        dropout: { value: 0.2 },
        l1: { value: 0 },
        l2: { distribution: "log_uniform_values", min: 1e-6, max: 1e-2 },
      }),
      1,
    );
    expect(result.ok, JSON.stringify(!result.ok && result.errors)).toBe(true);
    if (!result.ok) return;
    const space = searchSpaceOf(result.document);
    expect(Object.keys(space)).toEqual(expect.arrayContaining(["filters_1", "filters_3", "kernel_size_2", "units_1", "units_2"]));
    expect(space.filters_3.when).toEqual([{ param: "conv_layers", atLeast: 3 }]);
  });

  it("accepts the MLP template with its parameters", () => {
    const result = parseSweepDocument(
      doc("mlp", {
        learning_rate: { value: 0.001 },
        dense_layers: { min: 1, max: 4 },
        units: { values: [64, 128, 256], per_layer_of: "dense_layers" },
        dropout: { min: 0, max: 0.5, per_layer_of: "dense_layers" },
        batch_norm: { values: [true, false] },
        activation: { values: ["relu", "selu", "tanh"] },
        l2: { value: 0.0001 },
      }),
      1,
    );
    expect(result.ok, JSON.stringify(!result.ok && result.errors)).toBe(true);
    expect(result.ok && result.document.model.template).toBe("mlp");
  });

  it.each([
    ["an unknown template", "rnn", {}, "model.template", ""],
    ["a CNN parameter in an MLP", "mlp", { conv_layers: { value: 2 } }, "parameters.conv_layers", "unknown parameter for template mlp"],
    ["per-layer over the wrong count", "cnn", { conv_layers: { min: 1, max: 2 }, filters: { values: [8], per_layer_of: "dense_layers" }, dense_layers: { min: 1, max: 2 } }, "parameters.filters.per_layer_of", "filters is per-layer of conv_layers, not dense_layers"],
    ["a per-layer parameter the template builds once", "cnn", { conv_layers: { min: 1, max: 2 }, strides: { values: [1, 2], per_layer_of: "conv_layers" } }, "parameters.strides.per_layer_of", "strides cannot be per-layer in the cnn template (per-layer parameters: filters, kernel_size (per conv_layers); units, dropout (per dense_layers))"],
    ["per-layer of an undeclared count", "cnn", { filters: { values: [8, 16], per_layer_of: "conv_layers" } }, "parameters.filters.per_layer_of", "unknown parameter `conv_layers`"],
    ["a per-layer name declared by hand", "cnn", { filters_2: { value: 8 } }, "parameters.filters_2", "declare filters with `per_layer_of: conv_layers`"],
    ["an unknown padding", "cnn", { padding: { values: ["same", "full"] } }, "parameters.padding.values", "padding must be one of same, valid"],
    ["an unknown activation", "mlp", { activation: { value: "mish" } }, "parameters.activation.value", "must be one of relu, leaky_relu"],
    ["a string for batch_norm", "cnn", { batch_norm: { value: "yes" } }, "parameters.batch_norm.value", "must be true or false"],
    ["a range for batch_norm", "mlp", { batch_norm: { min: 0, max: 1 } }, "parameters.batch_norm", "not a range"],
    ["a negative L2 penalty", "cnn", { l2: { min: -0.1, max: 0.1 } }, "parameters.l2.min", "l2 must be >= 0"],
    ["too many conv layers", "cnn", { conv_layers: { values: [2, 7] } }, "parameters.conv_layers.values", "<= 6"],
    ["a zero stride", "cnn", { strides: { value: 0 } }, "parameters.strides.value", ">= 1"],
  ])("rejects %s with a field error", (_label, template, parameters, path, message) => {
    const errors = errorsOf(doc(template, parameters));
    const match = errors.find((e) => e.path === path);
    expect(match, JSON.stringify(errors)).toBeDefined();
    expect(match!.message).toContain(message);
  });
});
