import { describe, expect, it } from "vitest";
import { learningCurves, parameterColumns, rankTrials, sweepProgress } from "../../app/lib/sweep-view";
import { epoch, liveTrial, sweepDetail } from "./fixtures";

describe("rankTrials", () => {
  const trials = [
    liveTrial(0, { state: "complete", value: 0.7 }),
    liveTrial(1, { state: "running", value: 0.9 }),
    liveTrial(2, { state: "waiting" }),
    liveTrial(3, { state: "complete", value: 0.7 }),
    liveTrial(4, { state: "failed", error: "NaN loss", value: 0.95 }),
  ];

  it("ranks complete and running trials by value (ties by number), then the rest by number", () => {
    const ranked = rankTrials(trials, "maximize");
    expect(ranked.map((r) => [r.rank, r.trial.number])).toEqual([
      [1, 1],
      [2, 0],
      [3, 3],
      [null, 2],
      [null, 4],
    ]);
  });

  it("puts the lowest value first when minimizing", () => {
    expect(rankTrials(trials, "minimize").map((r) => r.trial.number)).toEqual([0, 3, 1, 2, 4]);
  });

  it("puts pruned trials after every ranked trial, unranked, whatever their value, in number order", () => {
    const withPruned = [
      liveTrial(5, { state: "pruned", value: 0.99, stopReason: "below the median" }),
      ...trials,
      liveTrial(6, { state: "pruned", value: 0.1 }),
    ];
    for (const goal of ["maximize", "minimize"] as const) {
      const ranked = rankTrials(withPruned, goal);
      expect(ranked.slice(0, 3).every((r) => r.rank !== null && r.trial.state !== "pruned")).toBe(true);
      expect(ranked.slice(3).map((r) => [r.rank, r.trial.number])).toEqual([
        [null, 2],
        [null, 4],
        [null, 5],
        [null, 6],
      ]);
    }
  });

  it("drops a trial from the ranking once it is pruned", () => {
    const running = [liveTrial(0, { state: "complete", value: 0.7 }), liveTrial(1, { state: "running", value: 0.5 })];
    expect(rankTrials(running, "maximize").map((r) => r.rank)).toEqual([1, 2]);
    const pruned = [running[0], liveTrial(1, { state: "pruned", value: 0.5 })];
    expect(rankTrials(pruned, "maximize").map((r) => [r.rank, r.trial.number])).toEqual([
      [1, 0],
      [null, 1],
    ]);
  });
});

describe("sweepProgress", () => {
  it("counts finished trials and takes the best complete value per the goal", () => {
    const detail = sweepDetail([
      liveTrial(0, { state: "complete", value: 0.7 }),
      liveTrial(1, { state: "pruned", value: 0.95 }),
      liveTrial(2, { state: "running", value: 0.99 }),
      liveTrial(3, { state: "complete", value: 0.8 }),
    ]);
    expect(sweepProgress(detail)).toEqual({ finished: 3, running: 1, pruned: 1, maxTrials: 8, bestValue: 0.8 });
  });
});

describe("learningCurves", () => {
  it("makes one row per epoch and one series per trial with the metric", () => {
    const curves = learningCurves(
      [liveTrial(1, {}, [epoch(1, 0.5)]), liveTrial(0, {}, [epoch(1, 0.6), epoch(2, 0.7)]), liveTrial(2)],
      "val_accuracy",
    );
    expect(curves.series).toEqual(["Trial 0", "Trial 1"]);
    expect(curves.rows).toEqual([
      { epoch: 1, "Trial 0": 0.6, "Trial 1": 0.5 },
      { epoch: 2, "Trial 0": 0.7 },
    ]);
  });
});

describe("parameterColumns", () => {
  it("gives swept parameters in the template's order and lists single-valued ones as fixed", () => {
    const document = {
      parameters: {
        units: { min: 32, max: 256 },
        epochs: { value: 3 },
        optimizer: { values: ["adam"] },
        learning_rate: { distribution: "log_uniform_values", min: 0.0001, max: 0.01 },
        filters: { values: [16, 32] },
      },
    } as unknown as Parameters<typeof parameterColumns>[0];
    expect(parameterColumns(document)).toEqual({
      swept: ["learning_rate", "filters", "units"],
      fixed: [
        ["optimizer", "adam"],
        ["epochs", 3],
      ],
    });
  });
});
