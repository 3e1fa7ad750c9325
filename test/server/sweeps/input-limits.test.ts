// The edge walker every JSON body goes through before its schema: it names the exact path of what breaks a limit or
// could never be stored, stops early on huge input, and its helpers bound what responses and logs carry.
import { describe, expect, it } from "vitest";
import { boundErrors, inputLimitIssues, JSON_BODY_LIMITS, logExcerpt, truncateText, type InputLimits } from "../../../server/sweeps/input-limits";

const paths = (input: unknown, limits: InputLimits = JSON_BODY_LIMITS) => inputLimitIssues(input, limits).map((i) => [i.path.join("."), i.message]);

describe("inputLimitIssues", () => {
  it("accepts ordinary JSON, binary leaves included", () => {
    expect(paths({ name: "ok", list: [1, "two", true, null, { deep: ["é", "😀"] }] })).toEqual([]);
    expect(paths({ weights: new Uint8Array(1_000_000) })).toEqual([]);
  });

  it("names the exact path of a NUL or a lone surrogate, in values and in keys", () => {
    expect(paths({ name: "a\u0000b" })).toEqual([["name", expect.stringContaining("NUL")]]);
    expect(paths({ parameters: { units: { values: ["a", "b", "c", "x\uD800"] } } })).toEqual([["parameters.units.values.3", expect.stringContaining("lone UTF-16 surrogate")]]);
    expect(paths({ a: "\uDC00 trailing low half" })[0][1]).toContain("surrogate");
    expect(paths({ "bad\u0000key": 1 })).toEqual([["bad\u0000key", expect.stringContaining("the key contains a NUL")]]);
  });

  it("refuses `__proto__` keys, which zod would silently drop and assignment would turn into a prototype", () => {
    expect(paths(JSON.parse('{"parameters": {"__proto__": {"value": 1}}}'))).toEqual([["parameters.__proto__", expect.stringContaining("__proto__")]]);
  });

  it("bounds nesting, strings, keys, lists and objects, naming where", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 12; i++) deep = { next: deep };
    expect(paths(deep)).toEqual([["next.next.next.next.next.next.next.next.next.next", "nested deeper than 10 levels"]]);
    expect(paths({ dataset: { label: "x".repeat(5_000_000) } })).toEqual([["dataset.label", "longer than 2000 characters"]]);
    expect(paths({ values: Array.from({ length: 1_000_000 }, (_, i) => i) })).toEqual([["values", "more than 10000 entries"]]);
    expect(paths({ parameters: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`p${i}`, {}])) })).toEqual([["parameters", "more than 1000 keys"]]);
    const [[where, message]] = paths({ ["k".repeat(300)]: 1 });
    expect(where).toBe("");
    expect(message).toMatch(/^a key is longer than 200 characters/);
  });

  it("stops at the node budget instead of walking the rest", () => {
    const limits = { ...JSON_BODY_LIMITS, maxNodes: 100 };
    const issues = inputLimitIssues({ a: Array.from({ length: 5000 }, () => "x\u0000") }, limits, { maxIssues: 1000 });
    expect(issues.at(-1)!.message).toBe("the input has more than 100 values");
    expect(issues.length).toBeLessThanOrEqual(100);
  });

  it("collects at most maxIssues and skips the subtrees it is told to", () => {
    const input = { list: Array.from({ length: 50 }, () => "\u0000"), evaluation: { name: "\u0000" } };
    expect(inputLimitIssues(input, JSON_BODY_LIMITS)).toHaveLength(20);
    expect(inputLimitIssues({ evaluation: { name: "\u0000" } }, JSON_BODY_LIMITS, { skip: (p) => p[0] === "evaluation" })).toEqual([]);
  });
});

describe("bounded error output", () => {
  it("keeps at most 20 errors, each message and path at most 300 characters", () => {
    const errors = Array.from({ length: 25 }, (_, i) => ({ path: `p${i}`, message: "m".repeat(10_000) }));
    const bounded = boundErrors(errors);
    expect(bounded).toHaveLength(20);
    expect(bounded.at(-1)).toEqual({ path: "", message: "…and 6 more errors" });
    expect(bounded.every((e) => e.message.length <= 300 && e.path.length <= 300)).toBe(true);
    expect(boundErrors(errors.slice(0, 3)).map((e) => e.path)).toEqual(["p0", "p1", "p2"]);
  });

  it("never cuts through a surrogate pair", () => {
    const cut = truncateText(`${"a".repeat(298)}😀😀`, 300);
    expect(cut).toBe(`${"a".repeat(298)}…`);
    expect(truncateText("short")).toBe("short");
  });
});

describe("logExcerpt", () => {
  it("gives at most 300 bytes of a huge body, secrets redacted, without serialising it whole", () => {
    const body = { name: "sweep", token: "s3cret-token", auth: { password: "hunter2" }, dataset: { label: "é".repeat(5_000_000) } };
    const started = performance.now();
    const excerpt = logExcerpt(body);
    // Serialising the whole 10 MB label would take far longer on any box.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(Buffer.byteLength(excerpt)).toBeLessThanOrEqual(300 + 3);
    expect(excerpt).toMatch(/^\{"name":"sweep","token":"\[redacted\]","auth":\{"password":"\[redacted\]"\},"dataset":\{"label":"éé/);
    expect(excerpt).not.toContain("s3cret");
    expect(excerpt).not.toContain("hunter2");
    expect(excerpt.endsWith("…")).toBe(true);
  });

  it("writes small bodies whole and binary as its size", () => {
    expect(logExcerpt({ a: [1, null, true], w: new Uint8Array(8) })).toBe('{"a":[1,null,true],"w":<8 bytes>}');
  });
});
