import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAnalysisRefresher } from "../../app/lib/analysis-refresh";

describe("createAnalysisRefresher", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("loads when the section first shows, not before, and only once for showing", () => {
    const load = vi.fn();
    const r = createAnalysisRefresher(load, 1000);
    r.trialsChanged("a");
    r.trialsChanged("a,b");
    vi.advanceTimersByTime(5000);
    expect(load).not.toHaveBeenCalled();
    r.show();
    r.show();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("refetches once, a second after the last of a burst of finished trials", () => {
    const load = vi.fn();
    const r = createAnalysisRefresher(load, 1000);
    r.trialsChanged("a");
    r.show();
    r.trialsChanged("a");
    vi.advanceTimersByTime(2000);
    expect(load).toHaveBeenCalledTimes(1);
    r.trialsChanged("a,b");
    vi.advanceTimersByTime(600);
    r.trialsChanged("a,b,c");
    vi.advanceTimersByTime(999);
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(load).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10_000);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("does not refetch for the state the first load already saw, and stops when disposed", () => {
    const load = vi.fn();
    const r = createAnalysisRefresher(load, 1000);
    r.show();
    r.trialsChanged("a");
    vi.advanceTimersByTime(2000);
    expect(load).toHaveBeenCalledTimes(1);
    r.trialsChanged("a,b");
    r.dispose();
    vi.advanceTimersByTime(2000);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe("createAnalysisRefresher under a steady stream of finishing trials", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("still refetches at least every max-wait, then once after the stream ends", () => {
    const load = vi.fn();
    const r = createAnalysisRefresher(load, 1000, 4000);
    r.trialsChanged("0");
    r.show();
    // A trial finishes every 600 ms for 6 s: the debounce alone would never fire.
    for (let i = 1; i <= 10; i++) {
      r.trialsChanged(String(i));
      vi.advanceTimersByTime(600);
    }
    expect(load).toHaveBeenCalledTimes(2); // the first show, and the max-wait at 4 s
    vi.advanceTimersByTime(1000);
    expect(load).toHaveBeenCalledTimes(3); // 1 s after the last change
    vi.advanceTimersByTime(10_000);
    expect(load).toHaveBeenCalledTimes(3);
  });
});
