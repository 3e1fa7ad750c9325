import { describe, expect, it } from "vitest";
import type { FrozenTrial } from "../../../search/types";
import { drawnTrials } from "../../../server/sweeps/analysis-trials";
import { VersionCache } from "../../../server/sweeps/version-cache";

describe("VersionCache", () => {
  it("serves an entry unchecked while fresh, then recomputes only when the version moved", async () => {
    let now = 0;
    let version = "v1";
    let versionChecks = 0;
    let computed = 0;
    const cache = new VersionCache<string>({ staleMs: 2_000, now: () => now });
    const get = () => cache.get("s", async () => (versionChecks++, version), async () => `${version}#${++computed}`);
    expect(await get()).toBe("v1#1");
    version = "v2";
    now = 1_999;
    expect(await get()).toBe("v1#1"); // up to staleMs old, without asking
    expect(versionChecks).toBe(1);
    now = 2_000;
    expect(await get()).toBe("v2#2");
    now = 4_500;
    expect(await get()).toBe("v2#2"); // checked, same version: not recomputed
    expect([versionChecks, computed]).toEqual([3, 2]);
  });

  it("shares one computation between concurrent requests and drops the least recently used sweep", async () => {
    let computed = 0;
    const cache = new VersionCache<number>({ maxEntries: 2 });
    const get = (key: string) => cache.get(key, async () => "v", async () => ++computed);
    expect(await Promise.all([get("a"), get("a"), get("a")])).toEqual([1, 1, 1]);
    await get("b");
    await get("a"); // a is now the most recent
    await get("c"); // evicts b
    expect(cache.size).toBe(2);
    expect(await get("a")).toBe(1);
    expect(await get("b")).toBe(4);
  });
});

describe("drawnTrials", () => {
  const trial = (number: number, value: number): FrozenTrial => ({ number, state: "complete", params: {}, value, intermediate: {}, systemAttrs: {} });

  it("keeps all trials that fit, else the best and an even sample of the rest, by number", () => {
    const few = [trial(1, 0.5), trial(2, 0.7)];
    expect(drawnTrials(few, "maximize", 10, 3)).toEqual(few);
    const many = Array.from({ length: 5_000 }, (_, i) => trial(i, (i * 7919) % 5_000));
    const drawn = drawnTrials(many, "maximize", 2_000, 500);
    expect(drawn).toHaveLength(2_000);
    expect(new Set(drawn.map((t) => t.number)).size).toBe(2_000);
    const best = [...many].sort((a, b) => (b.value as number) - (a.value as number)).slice(0, 500);
    expect(best.every((t) => drawn.includes(t))).toBe(true);
    expect(drawn.map((t) => t.number)).toEqual([...drawn.map((t) => t.number)].sort((a, b) => a - b));
    const worst = drawnTrials(many, "minimize", 2_000, 500);
    expect(worst.filter((t) => (t.value as number) < 500)).toHaveLength(500);
  });
});
