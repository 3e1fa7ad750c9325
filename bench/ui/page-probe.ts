// Runs in the page (an init script, so it sees the document from its first byte): long tasks, when the leaderboard
// and the chart are ready and visible, and when a click first gets an answer (a sort button's click changes the
// leaderboard's data-sort). Times are performance.now(), i.e. ms since navigation start. Self-contained: playwright
// sends its source text, so it may use nothing from this module's scope.

export interface ProbeState {
  longestTaskMs: number;
  longTasks: number;
  /** First time each thing was seen (ms since navigation start), or null. */
  firstRowAt: number | null;
  leaderboardSeenAt: number | null;
  curvesSeenAt: number | null;
  readyAt: number | null;
  firstClickAt: number | null;
  clicks: number;
  clickKey: string | null;
  interactiveAt: number | null;
}

export function installPageProbe(): void {
  const probe: ProbeState = {
    longestTaskMs: 0,
    longTasks: 0,
    firstRowAt: null,
    leaderboardSeenAt: null,
    curvesSeenAt: null,
    readyAt: null,
    firstClickAt: null,
    clicks: 0,
    clickKey: null,
    interactiveAt: null,
  };
  (window as unknown as { __benchProbe: ProbeState }).__benchProbe = probe;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        probe.longTasks += 1;
        probe.longestTaskMs = Math.max(probe.longestTaskMs, entry.duration);
      }
    }).observe({ type: "longtask", buffered: true });
  } catch {
    // no longtask support: the figure stays 0 and the report says so by longTasks = 0
  }
  const shown = (el: Element | null): el is HTMLElement => !!el && (el as HTMLElement).getClientRects().length > 0;
  let lastClick = 0;
  const check = () => {
    const now = performance.now();
    const board = document.querySelector('[data-testid="leaderboard"]');
    const curves = document.querySelector('[data-testid="learning-curves"]');
    if (probe.firstRowAt === null && document.querySelector('[data-testid^="trial-row-"]')) probe.firstRowAt = now;
    if (probe.leaderboardSeenAt === null && shown(board)) probe.leaderboardSeenAt = now;
    if (probe.curvesSeenAt === null && shown(curves)) probe.curvesSeenAt = now;
    if (probe.readyAt === null && shown(board) && board.getAttribute("data-ready") === "true" && shown(curves) && curves.getAttribute("data-ready") === "true") {
      probe.readyAt = now;
      probe.clickKey = board.getAttribute("data-sort") === "number" ? "rank" : "number";
    }
    if (probe.readyAt === null || probe.interactiveAt !== null || !board) return;
    if (board.getAttribute("data-sort") === probe.clickKey && probe.clicks > 0) {
      probe.interactiveAt = now;
      return;
    }
    // A click before hydration is lost: click again until one is answered.
    if (now - lastClick > 100) {
      const button = board.querySelector<HTMLElement>(`button[data-sort-key="${probe.clickKey}"]`);
      if (!button) return;
      lastClick = now;
      probe.clicks += 1;
      if (probe.firstClickAt === null) probe.firstClickAt = now;
      button.click();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready", "data-sort"] });
  const timer = setInterval(() => {
    check();
    if (probe.interactiveAt !== null) clearInterval(timer);
  }, 20);
}

/** tsx compiles with esbuild's keepNames, which wraps functions in `__name(…)`: the page needs the helper too. */
export const KEEP_NAMES_SHIM = "window.__name = window.__name || ((target) => target);";
