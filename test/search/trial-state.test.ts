import { describe, expect, it } from "vitest";
import { canTransition, isFinished, statesAllowedBefore, TRIAL_STATE_NAMES } from "../../search/trial-state";

const all = TRIAL_STATE_NAMES;

describe("trial state machine", () => {
  it("follows waiting -> running -> complete | pruned | failed", () => {
    expect(canTransition("waiting", "running")).toBe(true);
    expect(canTransition("running", "complete")).toBe(true);
    expect(canTransition("running", "pruned")).toBe(true);
    expect(canTransition("waiting", "complete")).toBe(false);
    expect(canTransition("running", "waiting")).toBe(true); // re-queued after its worker was lost
    expect(statesAllowedBefore("failed").sort()).toEqual(["running", "waiting"]);
    // A sweep's stop ends its waiting and running trials alike.
    expect(statesAllowedBefore("stopped").sort()).toEqual(["running", "waiting"]);
  });

  it("never leaves a finished state", () => {
    for (const from of all.filter(isFinished)) for (const to of all) expect(canTransition(from, to)).toBe(false);
    expect(all.filter(isFinished).sort()).toEqual(["complete", "failed", "pruned", "stopped"]);
  });
});
