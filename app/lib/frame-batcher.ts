// Collects pushed events and hands them over once per animation frame, so a stream of 1,000 points a second costs
// one state update (one render) per frame, not one per event. A timer backs the frame up: background tabs get no
// frames, and the queue must not grow without bound there.

export interface FrameBatcher<T> {
  push(item: T): void;
  /** Hands over what is queued now (e.g. before a snapshot is applied). */
  flush(): void;
  dispose(): void;
}

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

const browserFrames: FrameScheduler | null =
  typeof requestAnimationFrame === "function" ? { request: (cb) => requestAnimationFrame(cb), cancel: (h) => cancelAnimationFrame(h) } : null;

export function createFrameBatcher<T>(deliver: (items: T[]) => void, frames: FrameScheduler | null = browserFrames, fallbackMs = 250): FrameBatcher<T> {
  let queue: T[] = [];
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  const flush = () => {
    if (frame !== null) frames?.cancel(frame);
    if (timer !== null) clearTimeout(timer);
    frame = null;
    timer = null;
    if (!queue.length || disposed) return;
    const items = queue;
    queue = [];
    deliver(items);
  };
  return {
    push(item) {
      if (disposed) return;
      queue.push(item);
      if (timer !== null) return;
      timer = setTimeout(flush, fallbackMs);
      if (frames) frame = frames.request(flush);
    },
    flush,
    dispose() {
      disposed = true;
      queue = [];
      if (frame !== null) frames?.cancel(frame);
      if (timer !== null) clearTimeout(timer);
    },
  };
}
