// When the Analysis section refetches GET /api/sweeps/:id/analysis: once when it first shows, then once per burst
// of trials finishing (debounced), never on a timer. Plain timers, no React, so it is unit-tested with fake timers.

export interface AnalysisRefresher {
  /** The section became visible: load now, the first time only. */
  show(): void;
  /** The set of finished trials (see finishedTrialsKey) as the page knows it now. */
  trialsChanged(key: string): void;
  dispose(): void;
}

/** Trials often finish in bursts (concurrent workers, a stop): one refetch a second after the last of them… */
export const ANALYSIS_REFRESH_DEBOUNCE_MS = 1000;
/** …but no later than this after the first unserved change, so a stream of quick trials still updates the views. */
export const ANALYSIS_REFRESH_MAX_WAIT_MS = 4000;

export function createAnalysisRefresher(
  load: () => void,
  delayMs = ANALYSIS_REFRESH_DEBOUNCE_MS,
  maxWaitMs = ANALYSIS_REFRESH_MAX_WAIT_MS,
): AnalysisRefresher {
  let shown = false;
  let disposed = false;
  let lastKey: string | null = null;
  let pending: ReturnType<typeof setTimeout> | null = null;
  /** When the oldest change not loaded yet arrived. */
  let waitingSince: number | null = null;
  const cancel = () => {
    if (pending !== null) clearTimeout(pending);
    pending = null;
  };
  return {
    show() {
      if (shown || disposed) return;
      shown = true;
      cancel();
      waitingSince = null;
      load();
    },
    trialsChanged(key) {
      if (disposed || key === lastKey) return;
      const first = lastKey === null;
      lastKey = key;
      // The first key is the state the first load will see anyway; before the section shows, nothing to refresh.
      if (first || !shown) return;
      cancel();
      const now = Date.now();
      waitingSince ??= now;
      pending = setTimeout(
        () => {
          pending = null;
          waitingSince = null;
          if (!disposed) load();
        },
        Math.max(0, Math.min(delayMs, waitingSince + maxWaitMs - now)),
      );
    },
    dispose() {
      disposed = true;
      cancel();
    },
  };
}
