// The REST fallback's change feed (GET /api/sweeps/:id/changes) against both databases, including a transaction that
// commits after a later one (PostgreSQL, where transactions run concurrently).
import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { trials } from "../../../server/db/schema";
import { DatabaseArtifactStore } from "../../../server/artifacts/database-store";
import { ModelRegistry } from "../../../server/models/model-registry";
import type { TrialRow } from "../../../server/scheduler/trial-store";
import { sweepChanges } from "../../../server/sweeps/sweep-changes";
import type { SweepChanges } from "../../../server/sweeps/types";
import { DATABASE_KINDS } from "../../support/databases";
import { fakeArtifactRef, fakeEpoch } from "../../support/reports";
import { useRunningSweep } from "../../support/running-sweep";

describe.each(DATABASE_KINDS)("sweep changes on %s", (kind) => {
  const sweep = useRunningSweep(kind);
  let first: TrialRow;
  let second: TrialRow;

  beforeEach(async () => {
    first = await sweep.claimed(0, "w1");
    second = await sweep.claimed(1, "w2");
    await sweep.store.recordEpoch(first.id, "w1", 0, 1, fakeEpoch(0.5));
  });

  const changes = (since: string | null) => sweepChanges(sweep.database.handle.db, sweep.sweeps, sweep.sweepId, since);
  const summary = (c: SweepChanges) => ({ trials: c.trials.map((t) => t.number), epochs: c.epochs.map((e) => [e.trialId, e.record.epoch]) });

  /** Reads until the given trial is no longer reported: a transaction elsewhere on the server (another test's
   *  database) holds the cursor back meanwhile, which may repeat rows but never skips them. */
  async function settle(cursor: string, trialId: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const next = await changes(cursor);
      if (!next.trials.some((t) => t.id === trialId)) return cursor;
      cursor = next.cursor;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`trial ${trialId} is reported as changed forever`);
  }

  it("returns everything without a cursor, then only what changed after it", async () => {
    const all = await changes(null);
    expect(all.cursor).toMatch(/^\d+$/);
    expect(all.sweep).toMatchObject({ id: sweep.sweepId, status: "running", trialCounts: { running: 2 } });
    expect(summary(all)).toEqual({ trials: [0, 1], epochs: [[first.id, 1]] });
    expect(all.epochs[0].record.metrics).toEqual(fakeEpoch(0.5));

    const quiet = await settle(await settle(all.cursor, first.id), second.id);
    await sweep.store.recordEpoch(second.id, "w2", 0, 1, fakeEpoch(0.6));
    const next = await changes(quiet);
    expect(summary(next)).toEqual({ trials: [1], epochs: [[second.id, 1]] });
    expect(next.trials[0]).toMatchObject({ epochs: 1, value: 0.6, metrics: fakeEpoch(0.6) });
    expect(next.sweep?.id).toBe(sweep.sweepId);
  });

  it("reports a sweep's status change, a promotion, and not a heartbeat", async () => {
    const quiet = await settle(await settle((await changes(null)).cursor, first.id), second.id);
    await sweep.store.extendLease(second.id, "w2");
    expect(await sweep.sweeps.transition(sweep.sweepId, ["running"], "paused")).not.toBeNull();
    await sweep.store.complete(first.id, "w1", 0, { test_loss: 0.4, test_accuracy: 0.6 }, fakeArtifactRef());
    const { modelId } = await new ModelRegistry(sweep.database.handle.db, new DatabaseArtifactStore(sweep.database.handle.db)).promote(first.id);
    const next = await changes(quiet);
    expect(next.sweep).toMatchObject({ status: "paused" });
    expect(next.trials.map((t) => [t.number, t.state, t.modelId])).toEqual([[0, "complete", modelId]]);
    // A later read still sees the promotion when only the model row changed.
    const afterComplete = await settle(next.cursor, first.id);
    await sweep.database.handle.db.update(trials).set({ error: null }).where(eq(trials.id, second.id));
    expect((await changes(afterComplete)).trials.map((t) => t.number)).toEqual([]);
  });

  it("answers a malformed cursor, a cursor from the future and an unknown sweep with clear errors", async () => {
    await expect(changes("yesterday")).rejects.toMatchObject({ code: "invalid", details: [{ path: "since", message: expect.stringContaining("cursor") }] });
    await expect(changes("-1")).rejects.toMatchObject({ code: "invalid" });
    await expect(changes("9000000000000000000")).rejects.toMatchObject({ code: "invalid", details: [{ path: "since", message: expect.stringContaining("ahead") }] });
    await expect(sweepChanges(sweep.database.handle.db, sweep.sweeps, "00000000-0000-4000-8000-000000000000", null)).rejects.toMatchObject({ code: "not_found" });
    await expect(sweepChanges(sweep.database.handle.db, sweep.sweeps, "not-a-uuid", null)).rejects.toMatchObject({ code: "not_found" });
  });

  it.runIf(kind === "postgres")("does not skip a transaction that commits after a later one", async () => {
    const quiet = await settle(await settle((await changes(null)).cursor, first.id), second.id);
    const other = postgres(sweep.database.url!, { max: 1, onnotice: () => {} });
    try {
      // A takes its transaction id first and commits last; B commits in between.
      const reserved = other.reserve();
      const a = await reserved;
      await a`begin`;
      await a`update trials set error = 'written by A' where id = ${first.id}`;
      await sweep.store.recordEpoch(second.id, "w2", 0, 1, fakeEpoch(0.6));
      const during = await changes(quiet);
      expect(summary(during)).toEqual({ trials: [1], epochs: [[second.id, 1]] });
      await a`commit`;
      a.release();
      const after = await changes(during.cursor);
      expect(after.trials.find((t) => t.number === 0)).toMatchObject({ error: "written by A" });
    } finally {
      await other.end({ timeout: 2 });
    }
  });
});
