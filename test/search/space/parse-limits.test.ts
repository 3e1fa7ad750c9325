// The search space's own limits and the cost of its errors: messages never list every declared parameter (that made
// a 10,000-parameter document's errors quadratic), big spaces order in near-linear time, and names that every
// JavaScript object already has are refused.
import { describe, expect, it } from "vitest";
import { buildSearchSpace, MAX_PARAMETERS, safeParseSearchSpace, type SearchSpaceInput } from "../../../search/space";
import { listItems } from "../../../search/space/names";

function unknownReferences(count: number): SearchSpaceInput {
  const input: SearchSpaceInput = {};
  for (let i = 0; i < count; i++) input[`param_${i}`] = i % 2 ? { min: 1, max: 2, per_layer_of: `missing_${i}` } : { value: 1, when: { [`ghost_${i}`]: 1 } };
  return input;
}

describe("search space errors stay small", () => {
  it("builds 10,000 unknown references in linear time with short messages", () => {
    const started = performance.now();
    const { issues } = buildSearchSpace(unknownReferences(10_000));
    // Generous for a loaded CI box; the quadratic version took tens of seconds at this size.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(issues).toHaveLength(10_000);
    expect(Math.max(...issues.map((i) => i.message.length))).toBeLessThan(300);
    const missing = issues.find((i) => i.path[0] === "param_1")!;
    expect(missing.message).toBe("unknown parameter `missing_1` (declared: param_0, param_1, param_2, param_3, param_4 …and 9995 more)");
  });

  it("refuses more than MAX_PARAMETERS entries without cross-checking them", () => {
    const result = safeParseSearchSpace(unknownReferences(MAX_PARAMETERS + 1));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toEqual([{ path: [], message: `${MAX_PARAMETERS + 1} parameters; at most ${MAX_PARAMETERS} are supported` }]);
  });

  it("bounds value lists in messages", () => {
    const values = Array.from({ length: 500 }, (_, i) => `v${i}`);
    const result = safeParseSearchSpace({ a: { values }, b: { value: 1, when: { a: "nope" } } });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues[0].message).toMatch(/^"nope" is not a value `a` can take \(one of "v0", .* …and \d+ more\)$/);
    expect(result.issues[0].message.length).toBeLessThan(300);
  });

  it("orders thousands of per-layer nodes quickly, each after what it reads", () => {
    const input: SearchSpaceInput = { layers: { min: 1, max: 64 } };
    for (let i = 0; i < 150; i++) input[`p${i}`] = { min: 0, max: 1, per_layer_of: "layers", ...(i ? { when: { [`p${i - 1}_1`]: { at_least: 0 } } } : {}) };
    const started = performance.now();
    const { space, issues } = buildSearchSpace(input);
    // Generous for a loaded CI box; the quadratic version took tens of seconds at this size.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(issues).toEqual([]);
    const names = Object.keys(space);
    expect(names).toHaveLength(1 + 150 * 64);
    const position = new Map(names.map((n, i) => [n, i]));
    for (const [name, parameter] of Object.entries(space)) for (const c of parameter.when ?? []) expect(position.get(c.param)!).toBeLessThan(position.get(name)!);
  });
});

describe("reserved and bounded names", () => {
  it.each(["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "__defineGetter__", "prototype"])(
    "refuses %s as a parameter name",
    (name) => {
      const result = safeParseSearchSpace({ [name]: { value: 1 } });
      expect(result.success).toBe(false);
      if (!result.success) expect(result.issues).toEqual([{ path: [name], message: expect.stringContaining("is reserved") }]);
    },
  );

  it("accepts names that merely contain a reserved word", () => {
    expect(safeParseSearchSpace({ constructor_kind: { values: ["a"] }, my_toString: { value: 1 } }).success).toBe(true);
  });

  it("caps values lists and string values", () => {
    const tooMany = safeParseSearchSpace({ a: { values: Array.from({ length: 1001 }, (_, i) => i) } });
    expect(!tooMany.success && tooMany.issues[0]).toMatchObject({ path: ["a", "values"], message: "at most 1000 values" });
    const tooLong = safeParseSearchSpace({ a: { values: ["ok", "x".repeat(201)] } });
    expect(!tooLong.success && tooLong.issues[0]).toMatchObject({ path: ["a", "values", 1], message: "strings are at most 200 characters" });
  });
});

describe("listItems", () => {
  it("shows a few items within a character budget and counts the rest", () => {
    expect(listItems(["a", "b"], 2)).toBe("a, b");
    expect(listItems(["a", "b", "c", "d", "e", "f", "g"], 7)).toBe("a, b, c, d, e …and 2 more");
    expect(listItems(["x".repeat(100), "y"], 2, { maxItemLength: 10 })).toBe("xxxxxxxxx…, y");
    expect(listItems(Array.from({ length: 50 }, () => "name"), 50, { max: 50, maxChars: 20 })).toBe("name, name, name …and 47 more");
  });
});
