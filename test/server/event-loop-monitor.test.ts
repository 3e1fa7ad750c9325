// The event-loop lag monitor behind /api/health: figures per interval in milliseconds, and a rate-limited log line
// when an interval's p99 is over the threshold.
import { describe, expect, it } from "vitest";
import { lagOf, startEventLoopMonitor } from "../../server/event-loop-monitor";

/** A histogram double holding nanosecond samples, as perf_hooks records them. */
function fakeHistogram() {
  let samples: number[] = [];
  return {
    add: (...ms: number[]) => void samples.push(...ms.map((m) => m * 1e6)),
    get count() {
      return samples.length;
    },
    get max() {
      return Math.max(0, ...samples);
    },
    percentile(p: number) {
      const sorted = [...samples].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
    },
    reset: () => void (samples = []),
    enable: () => true,
    disable: () => true,
  };
}

describe("event-loop monitor", () => {
  it("reports p50, p99 and max in milliseconds, zeros before any sample", () => {
    const histogram = fakeHistogram();
    expect(lagOf(histogram)).toEqual({ p50Ms: 0, p99Ms: 0, maxMs: 0 });
    histogram.add(...Array.from({ length: 99 }, () => 20), 450.04);
    expect(lagOf(histogram)).toEqual({ p50Ms: 20, p99Ms: 20, maxMs: 450 });
    // The real histogram's samples include its sampling interval.
    expect(lagOf(histogram, 20)).toEqual({ p50Ms: 0, p99Ms: 0, maxMs: 430 });
  });

  it("keeps the last interval's figures, and logs a p99 over the threshold at most once per period", () => {
    const histogram = fakeHistogram();
    const logged: string[] = [];
    let clock = 0;
    const monitor = startEventLoopMonitor({ histogram, resolutionMs: 0, log: (m) => logged.push(m), now: () => clock, thresholdMs: 100, logEveryMs: 60_000, intervalMs: 3_600_000 });
    histogram.add(21, 22, 250);
    expect(monitor.lag().maxMs).toBe(250); // the interval so far, before it ends
    monitor.rollOver();
    expect(monitor.lag()).toEqual({ p50Ms: 22, p99Ms: 250, maxMs: 250 });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/p99 250 ms/);

    histogram.add(300); // still over, but within the log period
    clock += 30_000;
    monitor.rollOver();
    expect(logged).toHaveLength(1);
    histogram.add(20); // a quiet interval replaces the figures, and is not logged
    clock += 60_000;
    monitor.rollOver();
    expect(monitor.lag()).toEqual({ p50Ms: 20, p99Ms: 20, maxMs: 20 });
    expect(logged).toHaveLength(1);
    histogram.add(180);
    monitor.rollOver();
    expect(logged).toHaveLength(2);
    monitor.stop();
  });

  it("sees a blocked event loop with the real histogram", async () => {
    const monitor = startEventLoopMonitor({ resolutionMs: 10, intervalMs: 3_600_000 });
    await new Promise((r) => setTimeout(r, 50));
    const until = Date.now() + 300;
    while (Date.now() < until); // blocks the loop, as a synchronous handler would
    await new Promise((r) => setTimeout(r, 50));
    monitor.rollOver();
    expect(monitor.lag().maxMs).toBeGreaterThan(150);
    monitor.stop();
  });
});
