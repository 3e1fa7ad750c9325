import { describe, expect, it } from "vitest";
import { createMessageBudget, WORKER_MESSAGE_RULES } from "../../../server/realtime/message-budget";

describe("per-socket message budget", () => {
  it("allows a burst, then the sustained rate, and counts what it refused", () => {
    let now = 0;
    const budget = createMessageBudget(WORKER_MESSAGE_RULES, () => now);
    const burst = WORKER_MESSAGE_RULES["trial:heartbeat"].burst;
    const taken = Array.from({ length: 100 }, () => budget.take("trial:heartbeat")).filter(Boolean).length;
    expect(taken).toBe(burst);
    expect(budget.dropped).toBe(100 - burst);
    now += 1000; // 2 per second refill
    expect([budget.take("trial:heartbeat"), budget.take("trial:heartbeat"), budget.take("trial:heartbeat")]).toEqual([true, true, false]);
    // Kinds have separate buckets: heartbeats spent do not block an epoch report.
    expect(budget.take("trial:epoch")).toBe(true);
  });
});
