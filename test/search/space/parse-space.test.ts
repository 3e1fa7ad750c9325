import { describe, expect, it } from "vitest";
import { isSearchError } from "../../../search/errors";
import { activeParameters, keepActive, parseSearchSpace, safeParseSearchSpace, searchSpaceInputSchema } from "../../../search/space";

const document = {
  optimizer: { values: ["adam", "sgd"] },
  learning_rate: { distribution: "log_uniform_values", min: 1e-4, max: 1e-1 },
  momentum: { min: 0.5, max: 0.99, when: { optimizer: ["sgd"] } },
  nesterov: { values: [true, false], when: { optimizer: "sgd" } },
  dense_layers: { min: 1, max: 3 },
  units: { min: 16, max: 256, q: 16, distribution: "int_uniform", per_layer_of: "dense_layers" },
  dropout: { min: 0, max: 0.5, when: { dense_layers: { at_least: 2 } } },
};

describe("parseSearchSpace", () => {
  it("reads conditions and expands per-layer parameters, each layer active when the count reaches it", () => {
    const space = parseSearchSpace(document);
    expect(Object.keys(space)).toEqual([
      "optimizer", "learning_rate", "momentum", "nesterov", "dense_layers", "units_1", "units_2", "units_3", "dropout",
    ]);
    expect(space.momentum.when).toEqual([{ param: "optimizer", in: ["sgd"] }]);
    expect(space.nesterov.when).toEqual([{ param: "optimizer", in: ["sgd"] }]);
    expect(space.units_2).toEqual({ spec: { kind: "int", min: 16, max: 256, log: false, q: 16 }, when: [{ param: "dense_layers", atLeast: 2 }] });
    expect(space.dropout.when).toEqual([{ param: "dense_layers", atLeast: 2 }]);
    expect(space.learning_rate).toEqual({ spec: { kind: "float", min: 1e-4, max: 1e-1, log: true } });
  });

  it("orders a parameter after the ones its conditions read, whatever the document order", () => {
    const space = parseSearchSpace({
      momentum: { min: 0, max: 1, when: { optimizer: "sgd" } },
      units: { min: 1, max: 8, per_layer_of: "layers" },
      optimizer: { values: ["sgd", "adam"] },
      layers: { min: 0, max: 2 },
    });
    expect(Object.keys(space)).toEqual(["optimizer", "momentum", "layers", "units_1", "units_2"]);
  });

  it("lets a condition refer to one layer of a per-layer parameter", () => {
    const space = parseSearchSpace({
      layers: { min: 1, max: 2 },
      act: { values: ["relu", "tanh"], per_layer_of: "layers" },
      alpha: { min: 0.1, max: 0.3, when: { act_2: "relu" } },
    });
    expect(space.alpha.when).toEqual([{ param: "act_2", in: ["relu"] }]);
    expect(activeParameters(space, { layers: 2, act_1: "tanh", act_2: "relu" })).toEqual(["layers", "act_1", "act_2", "alpha"]);
    expect(activeParameters(space, { layers: 1, act_1: "relu" })).toEqual(["layers", "act_1"]);
  });

  it.each([
    [{ a: { min: 0, max: 1, when: { b: ["x"] } } }, ["a", "when", "b"], "unknown parameter `b`"],
    [{ a: { values: ["x"] }, b: { min: 0, max: 1, when: { a: ["y"] } } }, ["b", "when", "a", 0], '"y" is not a value `a` can take (one of "x")'],
    [{ a: { min: 1, max: 5 }, b: { value: 1, when: { a: 9 } } }, ["b", "when", "a"], "an integer from 1 to 5"],
    [{ a: { values: ["x"] }, b: { value: 1, when: { a: { at_least: 2 } } } }, ["b", "when", "a", "at_least"], "needs a numeric parameter"],
    [{ a: { min: 0, max: 2.5, when: { b: [0.5] } }, b: { min: 0, max: 2.5, when: { a: [0.5] } } }, ["a", "when"], "circular condition: a → b → a"],
    [{ a: { min: 0, max: 2.5, when: { a: [0.5] } } }, ["a", "when", "a"], "cannot depend on itself"],
    [{ units: { min: 1, max: 9, per_layer_of: "layers" } }, ["units", "per_layer_of"], "unknown parameter `layers`"],
    [{ layers: { min: 0.5, max: 3.5 }, units: { min: 1, max: 9, per_layer_of: "layers" } }, ["units", "per_layer_of"], "must be an integer range"],
    [{ layers: { values: [1, 2] }, units: { min: 1, max: 9, per_layer_of: "layers" } }, ["units", "per_layer_of"], "it is categorical"],
    [{ layers: { min: 1, max: 500 }, units: { min: 1, max: 9, per_layer_of: "layers" } }, ["units", "per_layer_of"], "at most 64"],
    [
      { layers: { min: 1, max: 2 }, units: { min: 1, max: 9, per_layer_of: "layers" }, units_2: { value: 3 } },
      ["units", "per_layer_of"],
      "expands to `units_2`, which is also declared",
    ],
    [
      { layers: { min: 1, max: 2 }, units: { min: 1, max: 9, per_layer_of: "layers" }, x: { value: 1, when: { units: 3 } } },
      ["x", "when", "units"],
      "is per-layer; refer to one layer (units_1 … units_2)",
    ],
    [{ a: { min: 0, max: 1, q: -1 } }, ["a", "q"], "q must be positive"],
    [{ a: { min: 0, max: 1, when: { b: [] } }, b: { value: 1 } }, ["a", "when", "b"], ""],
    [{ a: { min: 0, max: 1, if: { b: 1 } } }, ["a"], "if"],
  ])("rejects %j at its field", (input, path, message) => {
    const result = safeParseSearchSpace(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it("throws a SearchError carrying the issues, and its schema embeds in a larger document with full paths", () => {
    let error: unknown;
    try {
      parseSearchSpace({ a: { min: 0, max: 1, when: { b: 1 } } });
    } catch (e) {
      error = e;
    }
    expect(isSearchError(error, "invalid_space")).toBe(true);
    expect((error as Error).message).toContain("a.when.b: unknown parameter `b`");
    const result = searchSpaceInputSchema.safeParse({ a: { min: 0, max: 1, when: { b: 1 } } });
    expect(result.error!.issues[0].path).toEqual(["a", "when", "b"]);
  });

  it("keeps only active parameters of a configuration", () => {
    const space = parseSearchSpace(document);
    const params = { optimizer: "adam", learning_rate: 0.01, momentum: 0.9, nesterov: true, dense_layers: 1, units_1: 32, units_2: 64, dropout: 0.1 };
    expect(keepActive(space, params)).toEqual({ optimizer: "adam", learning_rate: 0.01, dense_layers: 1, units_1: 32 });
  });
});
