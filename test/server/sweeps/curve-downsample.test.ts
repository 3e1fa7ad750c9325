import { describe, expect, it } from "vitest";
import { evenSample, lttb, type Point } from "../../../server/sweeps/curve-downsample";

const curve = (n: number): Point[] => Array.from({ length: n }, (_, i) => [i + 1, Math.sin(i / 7) + i / n]);

describe("lttb", () => {
  it("returns every point (a copy) when there are no more than the threshold", () => {
    const points = curve(10);
    const kept = lttb(points, 10);
    expect(kept).toEqual(points);
    expect(kept[0]).not.toBe(points[0]);
    expect(lttb([], 5)).toEqual([]);
  });

  it("keeps the first and last, at most n points, in x order, drawn from the input", () => {
    const points = curve(1_000);
    for (const n of [3, 10, 57, 500, 999]) {
      const kept = lttb(points, n);
      expect(kept).toHaveLength(n);
      expect(kept[0]).toEqual(points[0]);
      expect(kept.at(-1)).toEqual(points.at(-1));
      for (let i = 1; i < kept.length; i++) expect(kept[i][0]).toBeGreaterThan(kept[i - 1][0]);
      const xs = new Set(points.map(([x]) => x));
      expect(kept.every(([x]) => xs.has(x))).toBe(true);
    }
  });

  it("keeps a lone spike that an even sample would drop", () => {
    const points: Point[] = Array.from({ length: 100 }, (_, i) => [i, i === 41 ? 10 : 0]);
    expect(lttb(points, 10).some(([x]) => x === 41)).toBe(true);
    expect(evenSample(points, 10).some(([x]) => x === 41)).toBe(false);
  });

  it("refuses a threshold below 3", () => {
    expect(() => lttb(curve(10), 2)).toThrow(RangeError);
  });
});

describe("evenSample", () => {
  it("keeps the ends, spreads the rest, and keeps everything that fits", () => {
    const items = Array.from({ length: 101 }, (_, i) => i);
    expect(evenSample(items, 5)).toEqual([0, 25, 50, 75, 100]);
    expect(evenSample(items, 200)).toEqual(items);
  });
});
