// A refresh that many triggers share: the first schedule() starts a debounce, later ones push it back (up to a
// maximum wait, so a steady stream still refreshes), and a trigger while the refresh is running queues exactly
// one more run after it. Plain timers, no React, so it is unit-tested with fake timers.

export interface CoalescedTask {
  schedule(): void;
  /** Runs at once (or right after the run in flight), cancelling the debounce. */
  runNow(): void;
  dispose(): void;
}

export interface CoalescedTaskOptions {
  delayMs: number;
  maxWaitMs: number;
}

export function createCoalescedTask(run: () => Promise<unknown> | void, { delayMs, maxWaitMs }: CoalescedTaskOptions): CoalescedTask {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let waitingSince: number | null = null;
  let running = false;
  let again: "none" | "debounced" | "now" = "none";
  let disposed = false;

  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    waitingSince = null;
  };
  const fire = () => {
    cancel();
    running = true;
    let result: Promise<unknown> | void;
    try {
      result = run();
    } catch {
      result = undefined;
    }
    void Promise.resolve(result)
      .catch(() => {})
      .finally(() => {
        running = false;
        const next = again;
        again = "none";
        if (disposed) return;
        if (next === "now") fire();
        else if (next === "debounced") task.schedule();
      });
  };
  const task: CoalescedTask = {
    schedule() {
      if (disposed) return;
      if (running) {
        if (again === "none") again = "debounced";
        return;
      }
      const now = Date.now();
      waitingSince ??= now;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(fire, Math.max(0, Math.min(delayMs, waitingSince + maxWaitMs - now)));
    },
    runNow() {
      if (disposed) return;
      if (running) again = "now";
      else fire();
    },
    dispose() {
      disposed = true;
      cancel();
    },
  };
  return task;
}
