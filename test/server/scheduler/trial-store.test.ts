import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { sweeps as sweepsTable, trialArtifacts, trialEpochs, trials } from "../../../server/db/schema";
import { NO_EPOCH_TO_RANK, TrialStore } from "../../../server/scheduler/trial-store";
import { parseSweepDocument } from "../../../server/sweeps/sweep-document";
import { SweepStore } from "../../../server/sweeps/sweep-store";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";
import { fakeArtifactRef, fakeEpoch } from "../../support/reports";
import { tinySweep } from "../../support/sweeps";

describe.each(DATABASE_KINDS)("trial store on %s", (kind) => {
  let database: TestDatabase;
  let store: TrialStore;
  let sweeps: SweepStore;
  let sweepId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    store = new TrialStore(database.handle.db, 60_000);
    sweeps = new SweepStore(database.handle.db);
  });
  afterAll(() => database.drop());

  beforeEach(async () => {
    await database.handle.db.delete(sweepsTable);
    const parsed = parseSweepDocument(tinySweep());
    if (!parsed.ok) throw new Error("bad fixture");
    sweepId = (await sweeps.create(parsed.document)).id;
    await sweeps.setStatus(sweepId, "running");
  });

  it("inserts each trial number once", async () => {
    expect(await store.insertWaiting(sweepId, 0, { a: 1 })).not.toBeNull();
    expect(await store.insertWaiting(sweepId, 0, { a: 2 })).toBeNull();
    expect((await store.countsBySweep(sweepId)).waiting).toBe(1);
  });

  it("never hands one trial to two workers, even when they claim at once", async () => {
    for (let n = 0; n < 5; n++) await store.insertWaiting(sweepId, n, {});
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => store.claimNext(`w${i}`, `worker ${i}`)));
    const won = claims.filter((c) => c !== null);
    expect(won).toHaveLength(5);
    expect(new Set(won.map((c) => c!.id)).size).toBe(5);
    expect(won.every((c) => c!.state === "running" && c!.leaseExpiresAt !== null)).toBe(true);
  });

  it("shares workers across sweeps in proportion to their priorities, oldest first within a sweep", async () => {
    const parsed = parseSweepDocument({ ...tinySweep(), priority: 3 });
    if (!parsed.ok) throw new Error("bad fixture");
    const urgent = (await sweeps.create(parsed.document)).id;
    await sweeps.setStatus(urgent, "running");
    // The priority-1 sweep's trials are older: plain FIFO would hand all of them out first.
    for (let n = 0; n < 8; n++) await store.insertWaiting(sweepId, n, {});
    for (let n = 0; n < 8; n++) await store.insertWaiting(urgent, n, {});
    const claimed = [];
    for (let i = 0; i < 8; i++) claimed.push((await store.claimNext(`w${i}`, `w${i}`))!);
    expect(claimed.filter((t) => t.sweepId === urgent)).toHaveLength(6);
    expect(claimed.filter((t) => t.sweepId === sweepId).map((t) => t.number)).toEqual([0, 1]);
    // A batch claim for several idle workers follows the same shares.
    const batch = await store.claimNextFor([1, 2, 3, 4].map((i) => ({ id: `b${i}`, name: `b${i}` })));
    expect(batch.filter((t) => t.sweepId === urgent)).toHaveLength(2);
  });

  it("keeps trials of sweeps that need a GPU for GPU workers; CPU workers get the others", async () => {
    const parsed = parseSweepDocument({ ...tinySweep(), resources: { gpu: true } });
    if (!parsed.ok) throw new Error("bad fixture");
    const gpuSweep = (await sweeps.create(parsed.document)).id;
    await sweeps.setStatus(gpuSweep, "running");
    // The CPU sweep's trial is older: a GPU worker still takes the GPU trial first.
    await store.insertWaiting(sweepId, 0, {});
    await store.insertWaiting(gpuSweep, 0, {});
    const mixed = await store.claimNextFor([
      { id: "cpu2", name: "cpu2", gpu: false },
      { id: "gpu1", name: "gpu1", gpu: true },
    ]);
    expect(Object.fromEntries(mixed.map((t) => [t.workerId, t.sweepId]))).toEqual({ cpu2: sweepId, gpu1: gpuSweep });
    await store.insertWaiting(gpuSweep, 1, {});
    expect(await store.claimNextFor([{ id: "cpu1", name: "cpu1" }])).toEqual([]);
  });

  it("does not hand out trials of sweeps that are not running", async () => {
    await store.insertWaiting(sweepId, 0, {});
    await sweeps.setStatus(sweepId, "paused");
    expect(await store.claimNext("w", "w")).toBeNull();
  });

  it("stores an epoch once, keeps the latest metrics and value, and refuses other workers", async () => {
    await store.insertWaiting(sweepId, 0, {});
    const trial = (await store.claimNext("w1", "one"))!;
    const first = await store.recordEpoch(trial.id, "w1", 0, 1, fakeEpoch(0.6));
    const again = await store.recordEpoch(trial.id, "w1", 0, 1, fakeEpoch(0.6));
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    const second = await store.recordEpoch(trial.id, "w1", 0, 2, fakeEpoch(0.7));
    expect(second.ok && second.trial).toMatchObject({ epochs: 2, value: 0.7 });
    expect(await store.recordEpoch(trial.id, "intruder", 0, 3, fakeEpoch(0.9))).toMatchObject({ ok: false });
    const rows = await database.handle.db.select().from(trialEpochs).where(sql`${trialEpochs.trialId} = ${trial.id}`);
    expect(rows.map((r) => r.epoch).sort()).toEqual([1, 2]);
  });

  it("completes with the model in one step, acknowledges a resend, and keeps finished trials immutable", async () => {
    await store.insertWaiting(sweepId, 0, {});
    const trial = (await store.claimNext("w1", "one"))!;
    await store.recordEpoch(trial.id, "w1", 0, 1, fakeEpoch(0.8));
    const done = await store.complete(trial.id, "w1", 0, { test_loss: 0.5, test_accuracy: 0.79 }, fakeArtifactRef());
    expect(done.ok && done.trial).toMatchObject({ state: "complete", metrics: { val_accuracy: 0.8, test_accuracy: 0.79 } });
    expect(await store.complete(trial.id, "w1", 0, { test_loss: 0.5, test_accuracy: 0.79 }, fakeArtifactRef())).toMatchObject({ ok: true, duplicate: true });
    expect(await store.fail(trial.id, "w1", "late failure")).toMatchObject({ ok: false });
    expect(await store.fail(trial.id, null, "late failure")).toMatchObject({ ok: false });
    expect(await store.recordEpoch(trial.id, "w1", 0, 2, fakeEpoch(0.9))).toMatchObject({ ok: false });
    const artifacts = await database.handle.db.select().from(trialArtifacts).where(sql`${trialArtifacts.trialId} = ${trial.id}`);
    expect(artifacts).toHaveLength(1);
    // The row names the weights in the artifact store; nothing is kept in the row itself.
    expect(artifacts[0]).toMatchObject({ weightsSha256: fakeArtifactRef().weights.sha256, weightsBytes: 4, weights: null });
  });

  it("fails a trial that completes before storing any epoch (nothing to rank it by), keeping samplers safe", async () => {
    await store.insertWaiting(sweepId, 0, {});
    const trial = (await store.claimNext("w1", "one"))!;
    const done = await store.complete(trial.id, "w1", 0, { test_loss: 0.5, test_accuracy: 0.1 }, fakeArtifactRef());
    expect(done.ok && done.trial).toMatchObject({ state: "failed", error: NO_EPOCH_TO_RANK, value: null });
    const artifacts = await database.handle.db.select().from(trialArtifacts).where(sql`${trialArtifacts.trialId} = ${trial.id}`);
    expect(artifacts).toHaveLength(0);
  });

  it("prunes a running trial with its reason, then refuses the worker's later reports", async () => {
    await store.insertWaiting(sweepId, 0, {}, { bracket: 1 });
    const trial = (await store.claimNext("w1", "one"))!;
    expect(trial.systemAttrs).toEqual({ bracket: 1 });
    await store.recordEpoch(trial.id, "w1", 0, 1, fakeEpoch(0.3));
    const pruned = await store.prune(trial.id, "pruned at epoch 1: val_accuracy 0.3 below the median 0.6 of 5 trials");
    expect(pruned.ok && pruned.trial).toMatchObject({ state: "pruned", stopReason: expect.stringContaining("below the median") });
    expect(await store.recordEpoch(trial.id, "w1", 0, 2, fakeEpoch(0.4))).toMatchObject({ ok: false });
    expect(await store.prune(trial.id, "again")).toMatchObject({ ok: false });
  });

  it("re-queues a trial whose lease lapsed as its next attempt, refuses the lost attempt's reports, and fails it when attempts run out", async () => {
    const twoAttempts = new TrialStore(database.handle.db, 60_000, 2);
    const lapse = (id: string) =>
      database.handle.db.update(trials).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(sql`${trials.id} = ${id}`);
    await store.insertWaiting(sweepId, 0, {});
    await store.insertWaiting(sweepId, 1, {});
    const lapsed = (await store.claimNext("w1", "gone"))!;
    const alive = (await store.claimNext("w2", "alive"))!;
    await store.recordEpoch(lapsed.id, "w1", 0, 1, fakeEpoch(0.5));
    await lapse(lapsed.id);

    const first = await twoAttempts.expireLeases();
    expect(first.failed).toEqual([]);
    expect(first.requeued.map((t) => [t.id, t.state, t.attempt, t.epochs, t.workerId])).toEqual([[lapsed.id, "waiting", 1, 0, null]]);
    expect(first.requeued[0].stopReason).toBe("attempt 1 lost: worker gone stopped responding; re-queued");
    expect((await store.get(alive.id))!.state).toBe("running");
    expect(await store.recordEpoch(lapsed.id, "w1", 0, 2, fakeEpoch(0.6))).toMatchObject({ ok: false, error: expect.stringContaining("was lost") });
    expect(await store.extendLease(lapsed.id, "w1")).toBe(false);

    // The second attempt runs elsewhere with its own epoch history; when it is lost too, no attempts are left.
    const again = (await store.claimNext("w3", "second"))!;
    expect([again.id, again.attempt]).toEqual([lapsed.id, 1]);
    expect(await store.recordEpoch(lapsed.id, "w3", 1, 1, fakeEpoch(0.7))).toMatchObject({ ok: true, duplicate: false });
    await lapse(lapsed.id);
    const second = await twoAttempts.expireLeases();
    expect(second.requeued).toEqual([]);
    expect(second.failed.map((t) => [t.id, t.state])).toEqual([[lapsed.id, "failed"]]);
    expect(second.failed[0].error).toContain("attempt 2 lost: worker second stopped responding");
    const rows = await database.handle.db.select().from(trialEpochs).where(sql`${trialEpochs.trialId} = ${lapsed.id}`);
    expect(rows.map((r) => [r.attempt, r.epoch]).sort()).toEqual([[0, 1], [1, 1]]);
  });

});
