// The scheduler's cached trials: kept current from its own writes without reloading, reloaded after anything it
// did not see, and never changing a decision: a sweep run with the cache ends exactly as one that reloads the
// trials from the database at every use (the scheduler before the cache).
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sweeps as sweepsTable, trials as trialsTable } from "../../../server/db/schema";
import { loadFrozenTrials } from "../../../server/scheduler/study-view";
import { TrialCache } from "../../../server/scheduler/trial-cache";
import { TrialStore, type ReportResult, type TrialRow } from "../../../server/scheduler/trial-store";
import { SweepStore } from "../../../server/sweeps/sweep-store";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";
import { createSweep, DirectWorker, startInstance } from "../../support/direct-workers";
import { fakeArtifactRef, fakeEpoch } from "../../support/reports";
import { tinySweep } from "../../support/sweeps";
import { waitFor } from "../../support/test-server";

const METRIC = "val_accuracy";

/** The scheduler before the cache: every use loads the sweep's trials and epochs again. */
class ReloadingCache extends TrialCache {
  override frozenTrials(sweepId: string, metric: string) {
    this.forget(sweepId);
    return super.frozenTrials(sweepId, metric);
  }
}

function ok(result: ReportResult): TrialRow {
  if (!result.ok) throw new Error(result.error);
  return result.trial;
}

describe.each(DATABASE_KINDS)("the scheduler's trial cache on %s", (kind) => {
  let database: TestDatabase;
  let store: TrialStore;
  let sweepId: string;
  const db = () => database.handle.db;
  const expectCurrent = async (cache: TrialCache) => expect(await cache.frozenTrials(sweepId, METRIC)).toEqual(await loadFrozenTrials(db(), sweepId, METRIC));

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    store = new TrialStore(db(), 1); // leases lapse at once: expireLeases re-queues whatever is still running
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    await db().delete(sweepsTable);
    const sweeps = new SweepStore(db());
    sweepId = await createSweep(sweeps, tinySweep());
    await sweeps.setStatus(sweepId, "running");
  });

  it("follows inserts, claims, epochs, finishes and re-queues without reloading", async () => {
    const cache = new TrialCache(db());
    await expectCurrent(cache);
    for (let n = 0; n < 4; n++) cache.apply((await store.insertWaiting(sweepId, n, { learning_rate: n }, { bracket: n % 2 }))!);
    const claimed: TrialRow[] = [];
    for (let i = 0; i < 4; i++) {
      claimed.push((await store.claimNext(`w${i}`, `worker ${i}`))!);
      cache.apply(claimed[i]);
    }
    for (const [i, trial] of claimed.entries()) {
      for (const epoch of [1, 2]) cache.apply(ok(await store.recordEpoch(trial.id, `w${i}`, 0, epoch, fakeEpoch(0.5 + i / 10 + epoch / 100))), epoch);
    }
    await expectCurrent(cache);

    const [a, b, c] = claimed;
    cache.apply(ok(await store.complete(a.id, "w0", 0, { test_loss: 0.3, test_accuracy: 0.7 }, fakeArtifactRef())));
    cache.apply(ok(await store.prune(b.id, "pruned at epoch 2")));
    cache.apply(ok(await store.fail(c.id, "w2", "out of memory", 0)));
    const { requeued } = await store.expireLeases();
    expect(requeued.map((t) => t.number)).toEqual([3]);
    for (const trial of requeued) cache.apply(trial);
    const frozen = await cache.frozenTrials(sweepId, METRIC);
    expect(frozen.map((t) => t.state)).toEqual(["complete", "pruned", "failed", "waiting"]);
    expect(frozen[0].value).toBeCloseTo(0.52);
    expect(frozen[3].intermediate).toEqual({}); // the lost attempt's epochs no longer count
    await expectCurrent(cache);
    expect([cache.reloads, cache.refreshes]).toEqual([1, 0]);
  });

  it("refreshes what changed after writes it did not see and rows applied out of order; a restart loads", async () => {
    const cache = new TrialCache(db());
    for (let n = 0; n < 3; n++) cache.apply((await store.insertWaiting(sweepId, n, { learning_rate: n }))!);
    await expectCurrent(cache);
    const trial = (await store.claimNext("w0", "zero"))!;
    cache.apply(trial);
    await expectCurrent(cache);
    expect([cache.reloads, cache.refreshes]).toEqual([1, 0]);

    // Another server instance stores an epoch, claims a trial and inserts one: the tally tells, and only the
    // trials that changed are read again.
    await store.recordEpoch(trial.id, "w0", 0, 1, fakeEpoch(0.6));
    await expectCurrent(cache);
    await store.claimNext("w1", "one");
    await store.insertWaiting(sweepId, 3, { learning_rate: 3 });
    await expectCurrent(cache);
    expect([cache.reloads, cache.refreshes]).toEqual([1, 2]);

    // A row from before the epoch changes nothing; one that skips an epoch is not applied, and the next use refreshes.
    cache.apply(trial);
    await expectCurrent(cache);
    expect(cache.refreshes).toBe(2);
    const third = ok(await store.recordEpoch(trial.id, "w0", 0, 3, fakeEpoch(0.7)));
    cache.apply(third, 3);
    await store.recordEpoch(trial.id, "w0", 0, 2, fakeEpoch(0.65));
    await expectCurrent(cache);
    expect([cache.reloads, cache.refreshes]).toEqual([1, 3]);

    // A restarted scheduler starts with an empty cache and loads what is stored.
    const restarted = new TrialCache(db());
    await expectCurrent(restarted);
    expect(restarted.reloads).toBe(1);
  });

  it("makes the same sampler and pruner decisions as reloading at every use, across a lost attempt", async () => {
    const document = {
      ...tinySweep({ max_trials: 10, concurrency: 2 }),
      method: "tpe",
      pruner: { type: "median", n_startup_trials: 2 },
      parameters: { learning_rate: { values: [0.001, 0.002, 0.003, 0.004, 0.005] }, units: { values: [16, 32, 64] }, epochs: { value: 3 } },
    };
    const cached = new TrialCache(db());
    const reloading = new ReloadingCache(db());
    await db().delete(sweepsTable);
    const withCache = await runSweep(document, cached);
    const withoutCache = await runSweep(document, reloading);
    expect(withCache.map((t) => t.state)).toContain("pruned");
    expect(withCache.some((t) => t.attempt === 1)).toBe(true);
    expect(withCache).toEqual(withoutCache);
    expect(reloading.reloads).toBeGreaterThan(20);
    expect(cached.reloads).toBe(1);
  }, 60_000);

  /** One worker (so the order of events is fixed) runs the sweep; its first unpruned trial from the fifth run on
   *  loses its first attempt after one epoch. */
  async function runSweep(document: { budget: { max_trials: number } }, cache: TrialCache) {
    const instance = startInstance(db(), { cache, leaseMs: 1500 });
    const id = await createSweep(instance.sweeps, document);
    const worker = new DirectWorker(instance, "w");
    instance.scheduler.start(50);
    let lost = false;
    for (let runs = 0, finished = 0; finished < document.budget.max_trials; runs++) {
      const job = (await worker.nextJob())!;
      const lr = Number(job.params.learning_rate);
      let losing = false;
      for (let epoch = 1; epoch <= 3 && !worker.stopped.has(job.trialId); epoch++) {
        await worker.epoch(job, epoch, 0.9 - Math.abs(lr - 0.003) * 100 + epoch / 100 + Number(job.params.units) / 1e4);
        losing = !lost && runs >= 4 && !worker.stopped.has(job.trialId);
        if (losing) break;
      }
      if (losing) {
        lost = true;
        await waitFor(async () => (await instance.trials.get(job.trialId))?.state === "waiting", 10_000, "the lost attempt to be re-queued");
        continue;
      }
      if (!worker.stopped.has(job.trialId)) await worker.complete(job);
      finished += 1;
    }
    await waitFor(async () => (await instance.sweeps.get(id))?.status === "finished", 10_000, "the sweep to finish");
    worker.close();
    await instance.scheduler.stop();
    return db()
      .select({ number: trialsTable.number, params: trialsTable.params, state: trialsTable.state, value: trialsTable.value, attempt: trialsTable.attempt, stopReason: trialsTable.stopReason })
      .from(trialsTable)
      .where(eq(trialsTable.sweepId, id))
      .orderBy(asc(trialsTable.number));
  }
});
