import { describe, expect, it } from "vitest";
import { initialSweepState, sweepReducer, type SweepAction, type SweepState } from "../../app/lib/sweep-state";
import { SWEEP_ID, epoch, liveTrial, sweepDetail, sweepSummary, trialSummary } from "./fixtures";

const reduce = (state: SweepState, ...actions: SweepAction[]) => actions.reduce(sweepReducer, state);
const loaded = (...trials: ReturnType<typeof liveTrial>[]) =>
  reduce(initialSweepState(SWEEP_ID), { type: "snapshot", detail: sweepDetail(trials) });
const trialUpdated = (trial: ReturnType<typeof trialSummary>): SweepAction => ({ type: "trial:updated", sweepId: SWEEP_ID, trial });
const epochEvent = (trialId: string, record: ReturnType<typeof epoch>): SweepAction => ({ type: "trial:epoch", sweepId: SWEEP_ID, trialId, record });
const trial = (state: SweepState, number: number) => state.detail!.trials.find((t) => t.number === number)!;

describe("sweepReducer", () => {
  it("loads a snapshot", () => {
    const state = loaded(liveTrial(1), liveTrial(0));
    expect(state.detail!.trials.map((t) => t.number)).toEqual([0, 1]);
  });

  it("appends epochs and makes the latest one the trial's value, as the server does", () => {
    const state = reduce(
      loaded(liveTrial(0, { state: "running" })),
      epochEvent("trial-0", epoch(1, 0.61)),
      epochEvent("trial-0", epoch(2, 0.72)),
    );
    expect(trial(state, 0)).toMatchObject({ epochs: 2, value: 0.72, metrics: { val_accuracy: 0.72 } });
    expect(trial(state, 0).history.map((h) => h.epoch)).toEqual([1, 2]);
  });

  it("stores a re-sent epoch once and ignores an older epoch for the value", () => {
    const state = reduce(
      loaded(liveTrial(0, { state: "running" })),
      epochEvent("trial-0", epoch(2, 0.72)),
      epochEvent("trial-0", epoch(1, 0.61)),
      epochEvent("trial-0", epoch(2, 0.72)),
    );
    expect(trial(state, 0).history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(trial(state, 0).value).toBe(0.72);
  });

  it("keeps the history when a trial summary arrives, and adds new trials in number order", () => {
    const state = reduce(
      loaded(liveTrial(2, { state: "running" })),
      epochEvent("trial-2", epoch(1, 0.5)),
      trialUpdated(trialSummary(2, { state: "running", epochs: 1, value: 0.5 })),
      trialUpdated(trialSummary(1, { state: "waiting" })),
    );
    expect(state.detail!.trials.map((t) => t.number)).toEqual([1, 2]);
    expect(trial(state, 2).history).toHaveLength(1);
  });

  it("does not let a summary read before the latest epoch roll the trial back", () => {
    const state = reduce(
      loaded(liveTrial(0, { state: "running" })),
      epochEvent("trial-0", epoch(1, 0.6)),
      epochEvent("trial-0", epoch(2, 0.7)),
      trialUpdated(trialSummary(0, { state: "running", epochs: 1, value: 0.6, metrics: { val_accuracy: 0.6 } })),
    );
    expect(trial(state, 0)).toMatchObject({ epochs: 2, value: 0.7 });
  });

  it("never moves a finished trial back to running", () => {
    const complete = trialSummary(0, { state: "complete", epochs: 2, value: 0.8, metrics: { test_accuracy: 0.79 } });
    const state = reduce(loaded(liveTrial(0, { state: "running" })), trialUpdated(complete), trialUpdated(trialSummary(0, { state: "running", epochs: 1 })));
    expect(trial(state, 0)).toMatchObject({ state: "complete", value: 0.8, metrics: { test_accuracy: 0.79 } });
  });

  it("moves a running trial to pruned with the pruner's reason, keeping its epochs", () => {
    const reason = "val_accuracy 0.41 at epoch 1 is below the median 0.62 of 5 complete trials";
    const pruned = trialSummary(0, { state: "pruned", epochs: 1, value: 0.41, stopReason: reason });
    const state = reduce(loaded(liveTrial(0, { state: "running" })), epochEvent("trial-0", epoch(1, 0.41)), trialUpdated(pruned));
    expect(trial(state, 0)).toMatchObject({ state: "pruned", stopReason: reason, epochs: 1, value: 0.41 });
    expect(trial(state, 0).history.map((h) => h.epoch)).toEqual([1]);
  });

  it("keeps a pruned trial pruned when an older summary or snapshot arrives", () => {
    const pruned = trialSummary(0, { state: "pruned", epochs: 1, value: 0.41, stopReason: "below the median" });
    const olderSnapshot = sweepDetail([liveTrial(0, { state: "running", epochs: 1, value: 0.41 }, [epoch(1, 0.41)])]);
    const state = reduce(
      loaded(liveTrial(0, { state: "running" })),
      trialUpdated(pruned),
      trialUpdated(trialSummary(0, { state: "running", epochs: 1 })),
      { type: "snapshot", detail: olderSnapshot },
      trialUpdated(trialSummary(0, { state: "complete", epochs: 3, value: 0.8 })),
    );
    expect(trial(state, 0)).toMatchObject({ state: "pruned", stopReason: "below the median", value: 0.41 });
    expect(trial(state, 0).history.map((h) => h.epoch)).toEqual([1]);
  });

  it("replaces the sweep summary on sweep:updated", () => {
    const state = reduce(loaded(), { type: "sweep:updated", sweep: sweepSummary({ status: "finished" }) });
    expect(state.detail!.sweep.status).toBe("finished");
  });

  it("ignores events for other sweeps", () => {
    const before = loaded(liveTrial(0));
    const after = reduce(
      before,
      { type: "sweep:updated", sweep: sweepSummary({ id: "other", status: "failed" }) },
      { type: "trial:updated", sweepId: "other", trial: trialSummary(5) },
    );
    expect(after).toBe(before);
  });

  it("replays events that arrived before the first snapshot", () => {
    const state = reduce(
      initialSweepState(SWEEP_ID),
      epochEvent("trial-0", epoch(1, 0.55)),
      trialUpdated(trialSummary(1, { state: "running" })),
      { type: "snapshot", detail: sweepDetail([liveTrial(0, { state: "running" })]) },
    );
    expect(state.early).toEqual([]);
    expect(trial(state, 0)).toMatchObject({ value: 0.55, epochs: 1 });
    expect(trial(state, 1).state).toBe("running");
  });

  it("holds epochs of an unknown trial until its summary arrives", () => {
    const state = reduce(loaded(), epochEvent("trial-3", epoch(1, 0.4)), trialUpdated(trialSummary(3, { state: "running" })));
    expect(trial(state, 3)).toMatchObject({ epochs: 1, value: 0.4 });
    expect(state.orphanEpochs).toEqual({});
  });

  it("merges a refetched snapshot after a reconnect without losing epochs it lacks", () => {
    const live = reduce(loaded(liveTrial(0, { state: "running" })), epochEvent("trial-0", epoch(1, 0.6)), epochEvent("trial-0", epoch(2, 0.7)));
    // The snapshot was read while epoch 2 was being stored; it also brings trial 1, started while disconnected.
    const snapshot = sweepDetail(
      [liveTrial(0, { state: "running", epochs: 1, value: 0.6 }, [epoch(1, 0.6)]), liveTrial(1, { state: "running", epochs: 1, value: 0.5 }, [epoch(1, 0.5)])],
      { status: "running", trialCounts: { waiting: 0, running: 2, complete: 0, pruned: 0, failed: 0 } },
    );
    const state = reduce(live, { type: "snapshot", detail: snapshot });
    expect(trial(state, 0).history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(trial(state, 0).value).toBe(0.7);
    expect(trial(state, 1).value).toBe(0.5);
    expect(state.detail!.sweep.trialCounts.running).toBe(2);
  });

  it("records a promotion made from the page and keeps it when an older summary arrives", () => {
    const state = reduce(
      loaded(liveTrial(0, { state: "complete", value: 0.8, epochs: 2 })),
      { type: "trial:promoted", trialId: "trial-0", modelId: "model-1" },
      trialUpdated(trialSummary(0, { state: "complete", value: 0.8, epochs: 2, modelId: null })),
    );
    expect(trial(state, 0).modelId).toBe("model-1");
  });

  it("ignores a snapshot of another sweep", () => {
    const before = loaded(liveTrial(0));
    expect(reduce(before, { type: "snapshot", detail: sweepDetail([], { id: "other" }) })).toBe(before);
  });
});
