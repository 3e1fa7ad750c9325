// The sweep page's state: the sweep summary, the change-feed cursor, the leaderboard's loaded pages, the plotted
// learning curves and the user's plot selection, built from bounded REST reads (snapshot, pages, curves, changes)
// and pushed Socket.IO events. Merges are monotonic (see trial-merge.ts). An event that may reorder the loaded
// pages or the top-N curves does not re-sort here: it bumps `stale`, and the hook debounces one bounded refresh.
import { TRIAL_STATES, type EpochRecord, type LeaderboardPage, type SweepChanges, type SweepCurves, type SweepSnapshot, type SweepSummary, type TrialSummary } from "../../server/sweeps/types";
import { appendCurvePoint, beatsPlotted, mergeCurves, updateCurveState } from "./curve-merge";
import {
  applyPage,
  dropFarPages,
  emptyBoard,
  findRow,
  orderMayChange,
  queryKey,
  sortFollowsEpochs,
  updateRow,
  type BoardState,
  type LeaderboardQuery,
} from "./leaderboard-cache";
import { applyEpochToRow, mergeTrialRow } from "./trial-merge";
import { countInStates, isRankingState } from "./trial-states";

export type SweepEvent =
  | { type: "sweep:updated"; sweep: SweepSummary }
  | { type: "trial:updated"; sweepId: string; trial: TrialSummary }
  | { type: "trial:epoch"; sweepId: string; trialId: string; record: EpochRecord };

export type SweepAction =
  | { type: "snapshot"; snapshot: SweepSnapshot }
  | { type: "events"; events: SweepEvent[] }
  | { type: "changes"; changes: SweepChanges }
  | { type: "page"; page: LeaderboardPage; generation: number; replace?: boolean }
  | { type: "query"; query: LeaderboardQuery }
  | { type: "visible"; start: number; end: number }
  | { type: "curves"; curves: SweepCurves }
  | { type: "select"; trialId: string; selected: boolean }
  | { type: "trial:promoted"; trialId: string; modelId: string }
  | SweepEvent;

/** The most trials a user may add to the chart on top of the top-N. */
export const MAX_SELECTED = 20;
/** Events kept while the first snapshot is on its way (it is read after the subscription, so few matter). */
const MAX_EARLY_EVENTS = 5000;

export interface SweepState {
  sweepId: string;
  sweep: SweepSummary | null;
  cursor: string | null;
  board: BoardState;
  curves: SweepCurves | null;
  /** Trials the user added to the chart, in the order added. */
  selected: string[];
  early: SweepEvent[];
  /** Counters the hook watches: `board` when the loaded pages may be out of order or membership, `top` when a
   *  trial not plotted may have joined the top-N, `envelope` when epochs of trials not plotted moved the band. */
  stale: { board: number; top: number; envelope: number };
}

export function initialSweepState(sweepId: string): SweepState {
  return { sweepId, sweep: null, cursor: null, board: emptyBoard(), curves: null, selected: [], early: [], stale: { board: 0, top: 0, envelope: 0 } };
}

export function sweepReducer(state: SweepState, action: SweepAction): SweepState {
  switch (action.type) {
    case "snapshot":
      return applySnapshot(state, action.snapshot);
    case "events":
      return action.events.reduce(applyOne, state);
    case "changes":
      return applyChanges(state, action.changes);
    case "page":
      return { ...state, board: applyPage(state.board, action.page, action.generation, action.replace) };
    case "query":
      if (queryKey(action.query) === state.board.key) return state;
      return { ...state, board: { ...emptyBoard(action.query, state.board.generation + 1), total: state.board.total } };
    case "visible": {
      const board = dropFarPages(state.board, action.start, action.end);
      return board === state.board ? state : { ...state, board };
    }
    case "curves":
      return { ...state, curves: mergeCurves(state.curves, action.curves) };
    case "select": {
      const without = state.selected.filter((id) => id !== action.trialId);
      if (!action.selected) return without.length === state.selected.length ? state : { ...state, selected: without };
      if (without.length !== state.selected.length || state.selected.length >= MAX_SELECTED) return state;
      return { ...state, selected: [...state.selected, action.trialId] };
    }
    case "trial:promoted":
      return { ...state, board: updateRow(state.board, action.trialId, (row) => ({ ...row, modelId: action.modelId })) };
    default:
      return applyOne(state, action);
  }
}

function applyOne(state: SweepState, event: SweepEvent): SweepState {
  if ((event.type === "sweep:updated" ? event.sweep.id : event.sweepId) !== state.sweepId) return state;
  if (!state.sweep) return { ...state, early: [...state.early.slice(1 - MAX_EARLY_EVENTS), event] };
  switch (event.type) {
    case "sweep:updated": {
      let next: SweepState = { ...state, sweep: event.sweep };
      // The counts tell when trials joined or left the filter, even ones far from the loaded pages.
      const { total, query } = state.board;
      if (total !== null && countInStates(event.sweep.trialCounts, query.states) !== total) next = markStale(next, "board");
      // A chart with room for more lines than it has while more trials rank: re-read it. Per-trial events may have
      // been merged before the chart was loaded (or by the catch-up), so the counts are the reliable signal.
      return chartHasRoom(state.curves, event.sweep) ? markStale(next, "top") : next;
    }
    case "trial:updated":
      return applyTrial(state, event.trial);
    case "trial:epoch":
      return applyEpoch(state, event.trialId, event.record);
  }
}

function applyTrial(state: SweepState, trial: TrialSummary): SweepState {
  const { board } = state;
  let next = state;
  const before = findRow(board, trial.id);
  if (before) {
    const after = mergeTrialRow(before, trial);
    next = { ...next, board: updateRow(board, trial.id, () => after) };
    if (orderMayChange(board.query, before, after)) next = markStale(next, "board");
  } else if (!board.query.states || board.query.states.includes(trial.state)) {
    // A trial the page has not loaded (new, or elsewhere in the order) may now belong among the loaded rows.
    next = markStale(next, "board");
  }
  if (next.curves) {
    const curves = updateCurveState(next.curves, trial);
    next = curves === next.curves ? next : { ...next, curves };
    if (beatsPlotted(next.curves!, trial)) next = markStale(next, "top");
  }
  return next;
}

function applyEpoch(state: SweepState, trialId: string, record: EpochRecord): SweepState {
  const metric = state.sweep!.metric.name;
  const { board } = state;
  let next = state;
  const before = findRow(board, trialId);
  if (before) {
    const after = applyEpochToRow(before, record, metric);
    if (after !== before) {
      next = { ...next, board: updateRow(board, trialId, () => after) };
      if (orderMayChange(board.query, before, after)) next = markStale(next, "board");
    }
  } else if (sortFollowsEpochs(board.query)) {
    next = markStale(next, "board");
  }
  const plotted = next.curves;
  if (plotted) {
    const curves = appendCurvePoint(plotted, trialId, record);
    if (curves !== plotted) return { ...next, curves };
    next = markStale(next, "envelope");
    // A trial not plotted: does its new value beat the lines shown? Its state is known only when it is loaded.
    const value = record.metrics[metric];
    const row = findRow(next.board, trialId);
    const candidate = { id: trialId, state: row?.state ?? "running", value: Number.isFinite(value) ? value : null };
    if (record.epoch >= (row?.epochs ?? 0) && isRankingState(candidate.state) && beatsPlotted(plotted, candidate)) next = markStale(next, "top");
  }
  return next;
}

function chartHasRoom(curves: SweepCurves | null, sweep: SweepSummary): boolean {
  if (!curves || curves.series.length >= curves.top) return false;
  const ranking = TRIAL_STATES.filter(isRankingState).reduce((n, state) => n + (sweep.trialCounts[state] ?? 0), 0);
  return ranking > curves.series.length;
}

function markStale(state: SweepState, what: keyof SweepState["stale"]): SweepState {
  return { ...state, stale: { ...state.stale, [what]: state.stale[what] + 1 } };
}

function applySnapshot(state: SweepState, snapshot: SweepSnapshot): SweepState {
  if (snapshot.sweep.id !== state.sweepId) return state;
  const { board } = state;
  const page = snapshot.leaderboard;
  const sameQuery = queryKey({ sort: page.sort, order: page.order, states: page.states }) === board.key;
  // The snapshot's first page replaces the loaded ones (a fresh start after a reset); the visible rows reload.
  let next: SweepState = {
    ...state,
    sweep: snapshot.sweep,
    cursor: snapshot.cursor,
    early: [],
    board: sameQuery ? applyPage(board, page, board.generation, true) : board,
    curves: mergeCurves(state.curves, snapshot.curves),
  };
  if (!sameQuery) next = markStale(next, "board");
  return state.early.reduce(applyOne, next);
}

/** What a reconnecting page missed: trial summaries and epochs merge as if pushed; the cursor moves on. */
function applyChanges(state: SweepState, changes: SweepChanges): SweepState {
  if (!state.sweep || changes.reset) return state;
  const next: SweepState = { ...state, cursor: changes.cursor };
  const events: SweepEvent[] = [
    ...(changes.sweep ? [{ type: "sweep:updated" as const, sweep: changes.sweep }] : []),
    ...changes.trials.map((trial) => ({ type: "trial:updated" as const, sweepId: state.sweepId, trial })),
    ...changes.epochs.map(({ trialId, record }) => ({ type: "trial:epoch" as const, sweepId: state.sweepId, trialId, record })),
  ];
  return events.reduce(applyOne, next);
}
