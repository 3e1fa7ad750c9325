// Everything the live sweep page does besides drawing, without React: the state store (sweep-state.ts reducer),
// per-frame batching of pushed events, and every read the page makes — each bounded whatever the sweep's size:
// the snapshot, leaderboard pages as the visible rows need them, a debounced refresh of the pages in view, the
// curves (top-N plus the user's selection), and on reconnect the change feed from the cursor the page holds.
import type { LeaderboardPage, SweepChanges, SweepCurves, SweepSnapshot } from "../../server/sweeps/types";
import { createCoalescedTask } from "./coalesced-task";
import { createFrameBatcher, type FrameScheduler } from "./frame-batcher";
import { leaderboardParams, MAX_PAGE_LIMIT, missingPages, PAGE_SIZE, pagesForRange, type LeaderboardQuery } from "./leaderboard-cache";
import { initialSweepState, sweepReducer, type SweepAction, type SweepEvent, type SweepState } from "./sweep-state";
import { sweepChangesApiUrl, sweepCurvesApiUrl, sweepSnapshotApiUrl, sweepTrialsApiUrl } from "./urls";

/** Lines drawn for the best trials, and the most points per line the server may send. */
export const CURVES_TOP = 10;
export const CURVES_POINTS = 500;
/** Order or membership changes are refreshed about a second after the last of a burst… */
export const BOARD_REFRESH = { delayMs: 1000, maxWaitMs: 2000 };
/** …a trial joining the top-N lines likewise; the all-trials band follows lazily, it moves slowly. */
export const TOP_REFRESH = { delayMs: 1000, maxWaitMs: 3000 };
export const ENVELOPE_REFRESH = { delayMs: 5000, maxWaitMs: 15000 };

export interface SweepLiveController {
  getState(): SweepState;
  subscribe(listener: () => void): () => void;
  /** A pushed event: applied with the others of this animation frame. */
  push(event: SweepEvent): void;
  /** The socket's subscription was acknowledged: catch up from the snapshot's cursor (loading the snapshot first
   *  if none was asked for), so whatever happened between the snapshot's read and the subscription is merged. */
  subscribed(): Promise<void>;
  /** Loads the snapshot unless one was already asked for. The page calls it at once, without waiting for the
   *  socket: the socket's handshake and ack would otherwise delay the first paint by several round trips. */
  loadSnapshotOnce(): Promise<void>;
  /** The virtual table shows rows start..end (inclusive, overscan included). */
  showRange(start: number, end: number): void;
  setQuery(query: LeaderboardQuery): void;
  setPlotted(trialId: string, plotted: boolean): void;
  markPromoted(trialId: string, modelId: string): void;
  dispose(): void;
}

export interface ControllerOptions {
  sweepId: string;
  fetchJson<T>(url: string): Promise<T>;
  /** Why the snapshot could not be loaded, or null once it was. */
  onError?(message: string | null): void;
  frames?: FrameScheduler | null;
}

export function createSweepLiveController({ sweepId, fetchJson, onError = () => {}, frames }: ControllerOptions): SweepLiveController {
  let state = initialSweepState(sweepId);
  const listeners = new Set<() => void>();
  let disposed = false;
  let visible = { start: 0, end: PAGE_SIZE - 1 };
  const pagesInFlight = new Set<string>();
  let firstSnapshot: Promise<void> | null = null;
  // Responses can come back out of order: only a newer request's answer is applied.
  const order = { snapshot: { asked: 0, applied: 0 }, curves: { asked: 0, applied: 0 } };

  const dispatch = (action: SweepAction) => {
    if (disposed) return;
    const before = state;
    state = sweepReducer(state, action);
    if (state === before) return;
    if (state.stale.board !== before.stale.board) boardTask.schedule();
    if (state.stale.top !== before.stale.top) topTask.schedule();
    if (state.stale.envelope !== before.stale.envelope) envelopeTask.schedule();
    if (state.selected !== before.selected) topTask.runNow();
    if (state.board.key !== before.board.key || state.board.generation !== before.board.generation || state.board.total !== before.board.total) {
      queueMicrotask(ensurePages);
    }
    for (const listener of listeners) listener();
  };
  const batcher = createFrameBatcher<SweepEvent>((events) => dispatch({ type: "events", events }), frames);

  const guarded = async <T>(kind: keyof typeof order, url: string, apply: (value: T) => void): Promise<boolean> => {
    const request = ++order[kind].asked;
    const value = await fetchJson<T>(url);
    if (disposed || request < order[kind].applied) return false;
    order[kind].applied = request;
    apply(value);
    return true;
  };

  const loadSnapshot = async () => {
    const { board, selected } = state;
    const params = leaderboardParams(board.query, 0, PAGE_SIZE);
    params.delete("offset");
    if (selected.length) params.set("trials", selected.join(","));
    try {
      await guarded<SweepSnapshot>("snapshot", sweepSnapshotApiUrl(sweepId, params), (snapshot) => {
        batcher.flush();
        dispatch({ type: "snapshot", snapshot });
        onError(null);
      });
    } catch (e) {
      if (!disposed) onError(e instanceof Error ? e.message : String(e));
    }
  };

  const plottedIds = () => [...new Set([...(state.curves?.series.map((s) => s.trialId) ?? []), ...state.selected])];

  const catchUp = async () => {
    if (!state.cursor) return loadSnapshot();
    const params = new URLSearchParams({ since: state.cursor });
    const plotted = plottedIds();
    if (plotted.length) params.set("trials", plotted.join(","));
    try {
      const changes = await fetchJson<SweepChanges>(sweepChangesApiUrl(sweepId, params));
      if (disposed) return;
      if (changes.reset) return loadSnapshot();
      batcher.flush();
      dispatch({ type: "changes", changes });
    } catch {
      // The cursor may be unusable (another database after a fail-over): start again from a snapshot.
      await loadSnapshot();
    }
  };

  const loadPage = async (page: number) => {
    const { board } = state;
    const id = `${board.key}|${board.generation}|${page}`;
    if (pagesInFlight.has(id)) return;
    pagesInFlight.add(id);
    try {
      const loaded = await fetchJson<LeaderboardPage>(sweepTrialsApiUrl(sweepId, leaderboardParams(board.query, page * PAGE_SIZE, PAGE_SIZE)));
      dispatch({ type: "page", page: loaded, generation: board.generation });
    } catch (e) {
      console.warn(`could not load leaderboard rows ${page * PAGE_SIZE}–: ${e instanceof Error ? e.message : e}`);
    } finally {
      pagesInFlight.delete(id);
    }
  };

  function ensurePages() {
    if (disposed || !state.sweep) return;
    for (const page of missingPages(state.board, visible.start, visible.end)) void loadPage(page);
  }

  /** Re-reads the pages in view (one request of at most MAX_PAGE_LIMIT rows); the other loaded pages are dropped. */
  const refreshBoard = async () => {
    const { board } = state;
    if (!state.sweep || board.total === null) return;
    const pages = pagesForRange(visible.start, visible.end, Math.max(board.total, 1));
    const first = pages[0] ?? 0;
    const limit = Math.min(MAX_PAGE_LIMIT, Math.max(1, pages.length) * PAGE_SIZE);
    try {
      const page = await fetchJson<LeaderboardPage>(sweepTrialsApiUrl(sweepId, leaderboardParams(board.query, first * PAGE_SIZE, limit)));
      dispatch({ type: "page", page, generation: board.generation, replace: true });
    } catch (e) {
      console.warn(`could not refresh the leaderboard: ${e instanceof Error ? e.message : e}`);
    }
  };

  const loadCurves = async () => {
    if (!state.sweep) return;
    const params = new URLSearchParams({ top: String(CURVES_TOP), points: String(CURVES_POINTS) });
    if (state.selected.length) params.set("trials", state.selected.join(","));
    try {
      await guarded<SweepCurves>("curves", sweepCurvesApiUrl(sweepId, params), (curves) => dispatch({ type: "curves", curves }));
    } catch (e) {
      console.warn(`could not load the learning curves: ${e instanceof Error ? e.message : e}`);
    }
  };

  const boardTask = createCoalescedTask(refreshBoard, BOARD_REFRESH);
  const topTask = createCoalescedTask(loadCurves, TOP_REFRESH);
  const envelopeTask = createCoalescedTask(loadCurves, ENVELOPE_REFRESH);

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push: (event) => batcher.push(event),
    async subscribed() {
      await (firstSnapshot ??= loadSnapshot());
      // The snapshot may have been read before the subscription took effect: events in between come from the feed.
      await catchUp();
    },
    loadSnapshotOnce: () => (firstSnapshot ??= loadSnapshot()),
    showRange(start, end) {
      visible = { start, end };
      dispatch({ type: "visible", start, end });
      ensurePages();
    },
    setQuery(query) {
      // The table scrolls back to the top for a new order: load its first rows, not those of the old position.
      visible = { start: 0, end: Math.min(visible.end - visible.start, PAGE_SIZE - 1) };
      dispatch({ type: "query", query });
    },
    setPlotted: (trialId, plotted) => dispatch({ type: "select", trialId, selected: plotted }),
    markPromoted: (trialId, modelId) => dispatch({ type: "trial:promoted", trialId, modelId }),
    dispose() {
      disposed = true;
      batcher.dispose();
      boardTask.dispose();
      topTask.dispose();
      envelopeTask.dispose();
      listeners.clear();
    },
  };
}
