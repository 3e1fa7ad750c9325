import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCoalescedTask } from "../../app/lib/coalesced-task";
import { createFrameBatcher, type FrameScheduler } from "../../app/lib/frame-batcher";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("createCoalescedTask", () => {
  it("runs once a delay after the last of a burst", async () => {
    const run = vi.fn();
    const task = createCoalescedTask(run, { delayMs: 1000, maxWaitMs: 5000 });
    for (let i = 0; i < 5; i++) {
      task.schedule();
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("still runs within the maximum wait under a steady stream", async () => {
    const run = vi.fn();
    const task = createCoalescedTask(run, { delayMs: 1000, maxWaitMs: 2000 });
    for (let i = 0; i < 25; i++) {
      task.schedule();
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(run.mock.calls.length).toBeLessThanOrEqual(3);
  });

  it("queues one more run for triggers while a run is in flight, never two at once", async () => {
    let inFlight = 0;
    let most = 0;
    let runs = 0;
    const task = createCoalescedTask(
      async () => {
        runs += 1;
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 500));
        inFlight -= 1;
      },
      { delayMs: 100, maxWaitMs: 1000 },
    );
    task.runNow();
    task.schedule();
    task.schedule();
    task.runNow();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });

  it("does nothing after dispose", async () => {
    const run = vi.fn();
    const task = createCoalescedTask(run, { delayMs: 100, maxWaitMs: 100 });
    task.schedule();
    task.dispose();
    task.runNow();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).not.toHaveBeenCalled();
  });
});

describe("createFrameBatcher", () => {
  const fakeFrames = () => {
    const callbacks = new Map<number, () => void>();
    let next = 1;
    const frames: FrameScheduler = { request: (cb) => (callbacks.set(next, cb), next++), cancel: (h) => void callbacks.delete(h) };
    const tick = () => {
      const pending = [...callbacks.values()];
      callbacks.clear();
      for (const cb of pending) cb();
    };
    return { frames, tick };
  };

  it("delivers every event of a frame in one batch, in order", () => {
    const { frames, tick } = fakeFrames();
    const batches: number[][] = [];
    const batcher = createFrameBatcher<number>((items) => batches.push(items), frames);
    for (let i = 0; i < 1000; i++) batcher.push(i);
    tick();
    batcher.push(1000);
    tick();
    expect(batches.map((b) => b.length)).toEqual([1000, 1]);
    expect(batches[0].slice(0, 3)).toEqual([0, 1, 2]);
  });

  it("falls back to a timer when no frame comes (a background tab), and flushes on demand", async () => {
    const { frames } = fakeFrames();
    const batches: number[][] = [];
    const batcher = createFrameBatcher<number>((items) => batches.push(items), frames, 250);
    batcher.push(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(batches).toEqual([[1]]);
    batcher.push(2);
    batcher.flush();
    expect(batches).toEqual([[1], [2]]);
    batcher.dispose();
    batcher.push(3);
    await vi.advanceTimersByTimeAsync(300);
    expect(batches).toHaveLength(2);
  });
});
