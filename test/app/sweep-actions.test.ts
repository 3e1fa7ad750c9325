import { describe, expect, it } from "vitest";
import { canEditBudget, sweepActions } from "../../app/lib/sweep-actions";

describe("sweep actions", () => {
  it("offers what the server allows in each status", () => {
    expect(sweepActions("queued")).toEqual(["pause", "stop"]);
    expect(sweepActions("running")).toEqual(["pause", "stop"]);
    expect(sweepActions("paused")).toEqual(["resume", "stop"]);
    for (const status of ["finished", "failed", "stopped"] as const) expect(sweepActions(status)).toEqual([]);
  });
});

describe("canEditBudget", () => {
  it("allows live budget edits until the sweep has ended", () => {
    expect((["queued", "running", "paused"] as const).every(canEditBudget)).toBe(true);
    expect((["finished", "failed", "stopped"] as const).some(canEditBudget)).toBe(false);
  });
});
