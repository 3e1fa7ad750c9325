// The form's template choice and architecture fields: the documents they build, that the server accepts them, and
// where the server's errors about them are shown; and the leaderboard's per-layer columns.
import { describe, expect, it } from "vitest";
import { DEFAULT_FORM_VALUES, buildSweepDocument, errorSlotFor, placeErrors, type SweepFormValues } from "../../app/lib/sweep-form-document";
import { parameterColumns } from "../../app/lib/sweep-view";
import { parseSweepDocument, type SweepDocument } from "../../server/sweeps/sweep-document";

const form = (overrides: Partial<SweepFormValues> = {}): SweepFormValues => ({ ...DEFAULT_FORM_VALUES, name: "arch", seed: "1", ...overrides });

describe("architecture fields", () => {
  it("sends lists, ticked choices (batch_norm as booleans) and per-layer filters and units", () => {
    const doc = buildSweepDocument(
      form({ "conv_layers.min": "1", "conv_layers.max": "3", "dense_layers.min": "1", "dense_layers.max": "2", l2: "0.0001", padding: ["valid"], batch_norm: ["false", "true"], activation: ["relu", "gelu"], "filters.per_layer": true, "units.per_layer": true }),
    );
    expect(doc.parameters).toMatchObject({
      conv_layers: { min: 1, max: 3 },
      dense_layers: { min: 1, max: 2 },
      l2: { values: [0.0001] },
      padding: { values: ["valid"] },
      batch_norm: { values: [false, true] },
      activation: { values: ["relu", "gelu"] },
      filters: { values: [16, 32, 64], per_layer_of: "conv_layers" },
      units: { min: 32, max: 256, per_layer_of: "dense_layers" },
    });
    expect(doc.parameters).not.toHaveProperty("pooling");
    const accepted = parseSweepDocument(buildSweepDocument(form({ "dense_layers.min": "2", "dense_layers.max": "2", "units.per_layer": true, batch_norm: ["true"] })), 1);
    expect(accepted.ok, JSON.stringify(!accepted.ok && accepted.errors)).toBe(true);
  });

  it("sends only the MLP's parameters when the MLP template is chosen, and the server accepts it", () => {
    const doc = buildSweepDocument(form({ template: "mlp", "conv_layers.min": "2", "conv_layers.max": "2", padding: ["same"], "dense_layers.min": "1", "dense_layers.max": "3", batch_norm: ["true"] }));
    expect(doc.model).toEqual({ template: "mlp" });
    expect(Object.keys(doc.parameters).sort()).toEqual(["batch_norm", "batch_size", "dense_layers", "epochs", "learning_rate", "optimizer", "units"]);
    expect(parseSweepDocument(doc, 1).ok).toBe(true);
  });

  it("shows the server's errors at the fields they concern", () => {
    const result = parseSweepDocument(buildSweepDocument(form({ strides: "0", padding: ["same"], "filters.per_layer": true })), 1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const placed = placeErrors(result.errors);
    expect(placed.unplaced).toEqual([]);
    expect(placed.bySlot.strides?.[0]).toContain(">= 1");
    expect(placed.bySlot.filters?.[0]).toContain("conv_layers"); // per_layer_of needs conv_layers in the space
    expect(errorSlotFor("parameters.padding.values.1")).toBe("padding");
    expect(errorSlotFor("parameters.units.per_layer_of")).toBe("group:units");
    expect(errorSlotFor("model.template")).toBe("template");
    expect(errorSlotFor("parameters.conv_layers.max")).toBe("conv_layers.max");
    expect(errorSlotFor("parameters.dense_layers")).toBe("group:dense_layers");
  });
});

describe("parameterColumns with templates", () => {
  it("gives a swept per-layer parameter one column per layer, and orders by the document's template", () => {
    const document = {
      model: { template: "mlp" },
      parameters: {
        units: { values: [32, 64], per_layer_of: "dense_layers" },
        dropout: { value: 0.1, per_layer_of: "dense_layers" },
        dense_layers: { min: 1, max: 3 },
        batch_norm: { values: [true, false] },
        learning_rate: { min: 0.001, max: 0.01 },
      },
    } as unknown as SweepDocument;
    expect(parameterColumns(document)).toEqual({
      swept: ["learning_rate", "dense_layers", "units_1", "units_2", "units_3", "batch_norm"],
      fixed: [["dropout", 0.1]],
    });
  });
});
