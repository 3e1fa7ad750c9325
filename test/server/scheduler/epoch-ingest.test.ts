// Group commit of epoch reports against a real database: concurrent re-sends are stored once, a stale holder's
// reports are refused, and the scheduler's hook sees every stored epoch once, in order, with the trial as of it.
import { beforeEach, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { trialEpochs, trials } from "../../../server/db/schema";
import { RETRY_ERROR } from "../../../server/realtime/events";
import { permanentReportError } from "../../../server/realtime/report-errors";
import { EpochIngest, type EpochIngestDeps } from "../../../server/scheduler/epoch-ingest";
import type { EpochReport } from "../../../server/scheduler/scheduler";
import type { TrialRow } from "../../../server/scheduler/trial-store";
import { DATABASE_KINDS } from "../../support/databases";
import { fakeEpoch } from "../../support/reports";
import { useRunningSweep } from "../../support/running-sweep";

describe.each(DATABASE_KINDS)("epoch group commit on %s", (kind) => {
  const sweep = useRunningSweep(kind);
  let batches: number[];
  let published: string[];
  let hooked: { epoch: number; rowEpochs: number; value: number | null }[];
  let ingest: EpochIngest;

  beforeEach(() => {
    batches = [];
    published = [];
    hooked = [];
    ingest = new EpochIngest({
      // Counts transactions, to check that concurrent reports share them.
      trials: { recordEpochs: (writes) => (batches.push(writes.length), sweep.store.recordEpochs(writes)) },
      publisher: { epochRecorded: (_sweep, trialId, record) => void published.push(`${trialId}:${record.epoch}`) },
      epochStored: async (_worker, trial: TrialRow, epoch) => void hooked.push({ epoch, rowEpochs: trial.epochs, value: trial.value }),
    });
  });

  const report = (trial: TrialRow, epoch: number, attempt = trial.attempt): EpochReport => ({ trialId: trial.id, attempt, epoch, metrics: fakeEpoch(epoch / 100) });
  const storedEpochs = async (trialId: string) =>
    (await sweep.database.handle.db.select().from(trialEpochs).where(eq(trialEpochs.trialId, trialId)).orderBy(asc(trialEpochs.attempt), asc(trialEpochs.epoch))).map((r) => [r.attempt, r.epoch]);

  it("stores each epoch exactly once under concurrent re-sends, in shared transactions, and acknowledges every copy", async () => {
    const trial = await sweep.claimed(0, "w1", { epochs: 20 });
    // Epochs 1..20, each sent three times at once (a worker re-sending after lost acks), interleaved.
    const sends = [0, 1, 2].flatMap(() => Array.from({ length: 20 }, (_, i) => report(trial, i + 1)));
    const acks = await Promise.all(sends.map((r) => ingest.submit("w1", r)));
    expect(acks.every((a) => a.ok)).toBe(true);
    expect(batches.length).toBeLessThan(sends.length);
    // And again after they were committed: acknowledged as duplicates, nothing new stored or announced.
    expect(await Promise.all([report(trial, 3), report(trial, 20)].map((r) => ingest.submit("w1", r)))).toEqual([{ ok: true }, { ok: true }]);

    expect(await storedEpochs(trial.id)).toEqual(Array.from({ length: 20 }, (_, i) => [0, i + 1]));
    expect(published.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `${trial.id}:${i + 1}`).sort());
    // The hook saw every epoch once, in order, each with the trial as that epoch left it.
    expect(hooked).toEqual(Array.from({ length: 20 }, (_, i) => ({ epoch: i + 1, rowEpochs: i + 1, value: (i + 1) / 100 })));
    expect(await sweep.store.get(trial.id)).toMatchObject({ epochs: 20, value: 0.2, metrics: fakeEpoch(0.2) });
  });

  it("refuses a stale holder's reports in the same batch as the rightful holder's, and stores only the latter", async () => {
    const trial = await sweep.claimed(0, "w1");
    const other = await sweep.claimed(1, "w2");
    const acks = await Promise.all([
      ingest.submit("w1", report(trial, 1)),
      ingest.submit("intruder", report(trial, 2)),
      ingest.submit("w2", report(other, 1)),
      ingest.submit("w1", report(other, 2)),
      ingest.submit("w1", report(trial, 2)),
    ]);
    expect(batches).toHaveLength(1);
    expect(acks).toEqual([
      { ok: true },
      { ok: false, error: expect.stringContaining("not held by this worker") },
      { ok: true },
      { ok: false, error: expect.stringContaining("not held by this worker") },
      { ok: true },
    ]);
    expect(await storedEpochs(trial.id)).toEqual([[0, 1], [0, 2]]);
    expect(await storedEpochs(other.id)).toEqual([[0, 1]]);
  });

  it("refuses the late reports of a lost attempt once the trial is re-queued and held by another worker", async () => {
    const trial = await sweep.claimed(0, "w1");
    expect(await ingest.submit("w1", report(trial, 1))).toEqual({ ok: true });
    await sweep.database.handle.db.update(trials).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(trials.id, trial.id));
    await sweep.store.expireLeases();
    const again = (await sweep.store.claimNext("w3", "w3"))!;
    expect(again.attempt).toBe(1);

    const acks = await Promise.all([
      ingest.submit("w1", report(trial, 2, 0)),
      ingest.submit("w1", report(trial, 1, 0)),
      ingest.submit("w3", report(again, 1)),
    ]);
    expect(acks).toEqual([
      { ok: false, error: expect.stringContaining("was lost") },
      { ok: false, error: expect.stringContaining("was lost") },
      { ok: true },
    ]);
    expect(await storedEpochs(trial.id)).toEqual([[0, 1], [1, 1]]);
  });

  it("refuses an epoch beyond the trial's own epoch count, with the rest of its batch stored", async () => {
    const trial = await sweep.claimed(0, "w1", { epochs: 2 });
    const defaulted = await sweep.claimed(1, "w2");
    const acks = await Promise.all([
      ingest.submit("w1", report(trial, 2)),
      ingest.submit("w1", report(trial, 100_000)),
      ingest.submit("w2", report(defaulted, 3)),
      ingest.submit("w2", report(defaulted, 4)),
    ]);
    expect(acks).toEqual([
      { ok: true },
      { ok: false, error: `epoch 100000 is beyond trial 0's 2 epochs` },
      { ok: true },
      { ok: false, error: `epoch 4 is beyond trial 1's 3 epochs` },
    ]);
    expect(await storedEpochs(trial.id)).toEqual([[0, 2]]);
    expect(await sweep.store.get(trial.id)).toMatchObject({ epochs: 2 });
  });

  it("writes each report of a batch alone when one can never be stored, so only that one is refused", async () => {
    const trial = await sweep.claimed(0, "w1");
    // A trial id PostgreSQL cannot parse fails the whole batch's transaction with a data exception (22P02).
    const broken: EpochReport = { ...report(trial, 1), trialId: "not-a-uuid" };
    const results = await Promise.allSettled([ingest.submit("w1", report(trial, 1)), ingest.submit("w1", broken), ingest.submit("w1", report(trial, 2))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(permanentReportError((results[1] as PromiseRejectedResult).reason)).toMatch(/SQLSTATE 22P02/);
    expect(await storedEpochs(trial.id)).toEqual([[0, 1], [0, 2]]);
  });

  it("acknowledges a re-sent epoch of a trial that finished since, but refuses a new one", async () => {
    const trial = await sweep.claimed(0, "w1");
    await ingest.submit("w1", report(trial, 1));
    await sweep.store.prune(trial.id, "pruned at epoch 1");
    expect(await Promise.all([ingest.submit("w1", report(trial, 1)), ingest.submit("w1", report(trial, 2))])).toEqual([
      { ok: true },
      { ok: false, error: expect.stringContaining("is pruned, not running") },
    ]);
    expect(hooked.map((h) => h.epoch)).toEqual([1]);
  });
});

describe("epoch group commit without a database", () => {
  const report = (epoch: number): EpochReport => ({ trialId: "00000000-0000-4000-8000-000000000000", attempt: 0, epoch, metrics: fakeEpoch(0.5) });
  const ingestOver = (recordEpochs: EpochIngestDeps["trials"]["recordEpochs"], maxPerWorker?: number) =>
    new EpochIngest({ trials: { recordEpochs }, publisher: { epochRecorded: () => {} }, epochStored: async () => {}, maxPerWorker });

  it("rejects every report of a failed batch, so the gateway tells the workers to retry", async () => {
    const ingest = ingestOver(async () => Promise.reject(new Error("connection terminated")));
    const results = await Promise.allSettled([ingest.submit("w", report(1)), ingest.submit("w", report(2))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("answers 'retry' at once to a worker with too many unanswered reports, and only to it", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const ingest = ingestOver(async (writes) => (await gate, writes.map(() => ({ ok: false as const, error: "refused" }))), 2);
    const held = [ingest.submit("w", report(1)), ingest.submit("w", report(2))];
    expect(await ingest.submit("w", report(3))).toEqual({ ok: false, error: RETRY_ERROR });
    const other = ingest.submit("v", report(1));
    release();
    expect(await Promise.all([...held, other])).toEqual(Array(3).fill({ ok: false, error: "refused" }));
    expect(await ingest.submit("w", report(3))).toEqual({ ok: false, error: "refused" });
  });
});
