import { describe, expect, it } from "vitest";
import { findRow } from "../../app/lib/leaderboard-cache";
import { initialSweepState, MAX_SELECTED, sweepReducer, type SweepAction, type SweepEvent, type SweepState } from "../../app/lib/sweep-state";
import { SWEEP_ID, curves, epoch, page, row, snapshot, sweepSummary, trialCounts, trialSummary } from "./fixtures";

const reduce = (state: SweepState, ...actions: SweepAction[]) => actions.reduce(sweepReducer, state);
// The page asks for the snapshot in its current order, so the query is set first.
const loaded = (rows = [row(0, { state: "running" })], options: Parameters<typeof snapshot>[1] = {}) =>
  reduce(initialSweepState(SWEEP_ID), ...(options.query ? [{ type: "query" as const, query: options.query }] : []), { type: "snapshot", snapshot: snapshot(rows, options) });
const trialUpdated = (trial: ReturnType<typeof trialSummary>): SweepEvent => ({ type: "trial:updated", sweepId: SWEEP_ID, trial });
const epochEvent = (trialId: string, record: ReturnType<typeof epoch>): SweepEvent => ({ type: "trial:epoch", sweepId: SWEEP_ID, trialId, record });
const trial = (state: SweepState, number: number) => findRow(state.board, `trial-${number}`)!;

describe("sweepReducer: rows", () => {
  it("keeps a snapshot's page only when it answers the page's current order, and asks for a refresh otherwise", () => {
    const sorted = reduce(initialSweepState(SWEEP_ID), { type: "query", query: { sort: "number", order: "asc", states: null } });
    const state = reduce(sorted, { type: "snapshot", snapshot: snapshot([row(0)]) });
    expect(state.board.pages).toEqual({});
    expect(state.stale.board).toBe(sorted.stale.board + 1);
  });

  it("loads a snapshot: summary, cursor, first page, curves", () => {
    const state = loaded([row(1, { rank: 1 }), row(0)], { total: 250, cursor: "42", curves: curves([{ number: 1, points: [[1, 0.5]] }]) });
    expect(state.sweep!.id).toBe(SWEEP_ID);
    expect(state.cursor).toBe("42");
    expect(state.board.total).toBe(250);
    expect(state.board.pages[0].map((r) => r.number)).toEqual([1, 0]);
    expect(state.curves!.series).toHaveLength(1);
  });

  it("applies epochs to a loaded row and makes the latest one the trial's value, as the server does", () => {
    const state = reduce(loaded(), { type: "events", events: [epochEvent("trial-0", epoch(1, 0.61)), epochEvent("trial-0", epoch(2, 0.72))] });
    expect(trial(state, 0)).toMatchObject({ epochs: 2, value: 0.72, metrics: { val_accuracy: 0.72 } });
  });

  it("ignores an older epoch arriving late", () => {
    const state = reduce(loaded(), { type: "events", events: [epochEvent("trial-0", epoch(2, 0.72)), epochEvent("trial-0", epoch(1, 0.61))] });
    expect(trial(state, 0)).toMatchObject({ epochs: 2, value: 0.72 });
  });

  it("does not let a summary read before the latest epoch roll the trial back", () => {
    const state = reduce(loaded(), {
      type: "events",
      events: [epochEvent("trial-0", epoch(1, 0.6)), epochEvent("trial-0", epoch(2, 0.7)), trialUpdated(trialSummary(0, { state: "running", epochs: 1, value: 0.6, metrics: { val_accuracy: 0.6 } }))],
    });
    expect(trial(state, 0)).toMatchObject({ epochs: 2, value: 0.7 });
  });

  it("never moves a finished trial back to running, and keeps its rank from the page", () => {
    const complete = trialSummary(0, { state: "complete", epochs: 2, value: 0.8, metrics: { test_accuracy: 0.79 } });
    const state = reduce(loaded([row(0, { state: "running", rank: 3 })]), trialUpdated(complete), trialUpdated(trialSummary(0, { state: "running", epochs: 1 })));
    expect(trial(state, 0)).toMatchObject({ state: "complete", value: 0.8, rank: 3, metrics: { test_accuracy: 0.79 } });
  });

  it("keeps a pruned trial pruned when an older summary or page arrives", () => {
    const pruned = trialSummary(0, { state: "pruned", epochs: 1, value: 0.41, stopReason: "below the median" });
    const state = reduce(
      loaded(),
      trialUpdated(pruned),
      trialUpdated(trialSummary(0, { state: "running", epochs: 1 })),
      { type: "page", page: page([row(0, { state: "running", epochs: 1, value: 0.41 })]), generation: 1, replace: true },
    );
    expect(trial(state, 0)).toMatchObject({ state: "pruned", stopReason: "below the median", value: 0.41 });
  });

  it("takes a re-queued trial's new attempt, whose epochs start again", () => {
    const state = reduce(loaded([row(0, { state: "running", epochs: 3, value: 0.7 })]), trialUpdated(trialSummary(0, { state: "waiting", attempt: 1, epochs: 0, value: null })));
    expect(trial(state, 0)).toMatchObject({ state: "waiting", attempt: 1, epochs: 0, value: null });
  });

  it("records a promotion made from the page and keeps it when an older summary arrives", () => {
    const state = reduce(
      loaded([row(0, { state: "complete", value: 0.8, epochs: 2 })]),
      { type: "trial:promoted", trialId: "trial-0", modelId: "model-1" },
      trialUpdated(trialSummary(0, { state: "complete", value: 0.8, epochs: 2, modelId: null })),
    );
    expect(trial(state, 0).modelId).toBe("model-1");
  });

  it("re-reads a chart with room for more lines when the counts say more trials rank than it draws", () => {
    const loaded = reduce(initialSweepState(SWEEP_ID), { type: "snapshot", snapshot: snapshot([], { curves: curves([]) }) });
    const counted = (complete: number) => reduce(loaded, { type: "sweep:updated", sweep: sweepSummary({ trialCounts: trialCounts({ complete }) }) }).stale.top;
    expect(counted(0)).toBe(loaded.stale.top);
    expect(counted(2)).toBe(loaded.stale.top + 1);
  });

  it("replaces the sweep summary on sweep:updated, and ignores events and snapshots of other sweeps", () => {
    const before = loaded();
    expect(reduce(before, { type: "sweep:updated", sweep: sweepSummary({ status: "finished" }) }).sweep!.status).toBe("finished");
    const after = reduce(
      before,
      { type: "sweep:updated", sweep: sweepSummary({ id: "other", status: "failed" }) },
      { type: "trial:updated", sweepId: "other", trial: trialSummary(5) },
      { type: "snapshot", snapshot: snapshot([], { sweep: { id: "other" } }) },
    );
    expect(after).toBe(before);
  });

  it("replays events that arrived before the first snapshot", () => {
    const state = reduce(
      initialSweepState(SWEEP_ID),
      epochEvent("trial-0", epoch(1, 0.55)),
      { type: "snapshot", snapshot: snapshot([row(0, { state: "running" })]) },
    );
    expect(state.early).toEqual([]);
    expect(trial(state, 0)).toMatchObject({ value: 0.55, epochs: 1 });
  });

  it("merges a reconnect's changes: summaries, epochs and the next cursor", () => {
    const state = reduce(loaded([row(0, { state: "running" }), row(1, { state: "running" })]), {
      type: "changes",
      changes: {
        cursor: "77",
        reset: false,
        sweep: sweepSummary({ trialCounts: trialCounts({ running: 1, complete: 1 }) }),
        trials: [trialSummary(1, { state: "complete", epochs: 2, value: 0.9 })],
        epochs: [{ trialId: "trial-0", record: epoch(1, 0.5) }],
      },
    });
    expect(state.cursor).toBe("77");
    expect(trial(state, 0)).toMatchObject({ epochs: 1, value: 0.5 });
    expect(trial(state, 1)).toMatchObject({ state: "complete", value: 0.9 });
    expect(state.sweep!.trialCounts.complete).toBe(1);
  });

  it("does not apply a reset answer (the page loads a snapshot instead)", () => {
    const before = loaded();
    expect(reduce(before, { type: "changes", changes: { cursor: "9", reset: true, sweep: null, trials: [], epochs: [] } })).toBe(before);
  });
});

describe("sweepReducer: when the loaded pages need a refresh", () => {
  const stale = (state: SweepState) => state.stale.board;

  it("not for an epoch of a loaded row under an order it cannot change (number), but yes under rank", () => {
    const byNumber = loaded([row(0, { state: "running" })], { query: { sort: "number", order: "asc", states: null } });
    expect(stale(reduce(byNumber, epochEvent("trial-0", epoch(1, 0.5))))).toBe(stale(byNumber));
    const byRank = loaded();
    expect(stale(reduce(byRank, epochEvent("trial-0", epoch(1, 0.5))))).toBe(stale(byRank) + 1);
  });

  it("for a trial the page has not loaded that matches the filter, not for one the filter excludes", () => {
    const all = loaded();
    expect(stale(reduce(all, trialUpdated(trialSummary(7, { state: "waiting" }))))).toBe(stale(all) + 1);
    const completeOnly = loaded([], { query: { sort: "rank", order: "asc", states: ["complete"] } });
    expect(stale(reduce(completeOnly, trialUpdated(trialSummary(7, { state: "running" }))))).toBe(stale(completeOnly));
  });

  it("when the summary's counts no longer match the total shown", () => {
    const state = loaded([row(0, { state: "running" })], { total: 1, sweep: { trialCounts: trialCounts({ running: 1 }) } });
    expect(stale(reduce(state, { type: "sweep:updated", sweep: sweepSummary({ trialCounts: trialCounts({ running: 1 }) }) }))).toBe(stale(state));
    expect(stale(reduce(state, { type: "sweep:updated", sweep: sweepSummary({ trialCounts: trialCounts({ running: 1, waiting: 1 }) }) }))).toBe(stale(state) + 1);
  });
});

describe("sweepReducer: curves", () => {
  const plotted = () => loaded([row(0, { state: "running" }), row(1, { state: "running" })], { curves: curves([{ number: 0, points: [[1, 0.5]] }], { top: 1 }) });

  it("appends a plotted trial's epoch to its line", () => {
    const state = reduce(plotted(), epochEvent("trial-0", epoch(2, 0.6)));
    expect(state.curves!.series[0].points).toEqual([
      [1, 0.5],
      [2, 0.6],
    ]);
  });

  it("asks for the top-N again when a trial not plotted beats the lines shown, and for the band lazily", () => {
    const before = plotted();
    const worse = reduce(before, epochEvent("trial-1", epoch(1, 0.4)));
    expect(worse.stale.top).toBe(before.stale.top);
    expect(worse.stale.envelope).toBe(before.stale.envelope + 1);
    expect(reduce(before, epochEvent("trial-1", epoch(1, 0.9))).stale.top).toBe(before.stale.top + 1);
  });

  it("keeps at most MAX_SELECTED picked trials, in the order picked", () => {
    let state = plotted();
    for (let i = 0; i < MAX_SELECTED + 3; i++) state = reduce(state, { type: "select", trialId: `trial-${i}`, selected: true });
    expect(state.selected).toHaveLength(MAX_SELECTED);
    expect(reduce(state, { type: "select", trialId: "trial-0", selected: false }).selected[0]).toBe("trial-1");
  });
});
