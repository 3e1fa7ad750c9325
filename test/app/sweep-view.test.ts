import { describe, expect, it } from "vitest";
import { parameterColumns, sweepProgress } from "../../app/lib/sweep-view";
import { sweepSummary, trialCounts } from "./fixtures";

describe("sweepProgress", () => {
  it("counts from the summary: every finished state (stopped too), running, pruned, and the summary's best value", () => {
    const sweep = sweepSummary({ trialCounts: trialCounts({ waiting: 4, running: 2, complete: 5, pruned: 3, failed: 1, stopped: 2 }), bestValue: 0.91 });
    expect(sweepProgress(sweep)).toEqual({ finished: 11, running: 2, pruned: 3, total: 17, maxTrials: 8, bestValue: 0.91 });
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
