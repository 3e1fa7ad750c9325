// 20 worker agents racing on one sweep for 10,000 claims (through one scheduler, as one server runs it, and through
// two on one database, as two server processes would): no trial is ever held by two workers at once, no trial number
// or configuration is used twice, and every trial runs exactly once.
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trials as trialsTable } from "../../../server/db/schema";
import { openDatabase, type DatabaseHandle } from "../../../server/db/client";
import { TrialStore } from "../../../server/scheduler/trial-store";
import { SweepStore } from "../../../server/sweeps/sweep-store";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";
import { createSweep, DirectWorker, startInstance, type SchedulerInstance } from "../../support/direct-workers";
import { tinySweep } from "../../support/sweeps";
import { waitFor } from "../../support/test-server";

/** 100 × 10 × 5 × 2 × 2 = 20,000 configurations: a sweep of 10,000 would repeat some thousands of them by chance. */
const racingSweep = (trials: number) => ({
  ...tinySweep({ name: "race", max_trials: trials, concurrency: 64 }),
  parameters: {
    learning_rate: { values: Array.from({ length: 100 }, (_, i) => (i + 1) / 1000) },
    units: { values: [16, 32, 48, 64, 80, 96, 112, 128, 144, 160] },
    filters: { values: [8, 16, 24, 32, 40] },
    kernel_size: { values: [3, 5] },
    batch_size: { values: [16, 32] },
    epochs: { value: 1 },
  },
});

describe.each(DATABASE_KINDS)("claim race on %s", (kind) => {
  let database: TestDatabase;
  const pools: DatabaseHandle[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    for (const pool of pools) await pool.close();
    await database.drop();
  });

  /** `instances` schedulers (PostgreSQL: one connection pool each, as separate server processes would have) and
   *  20 agents spread over them run a sweep of `claims` trials; every check is made on what the agents saw and on
   *  what the database holds. */
  async function race(instanceCount: number, claims: number): Promise<void> {
    const handles = [database.handle];
    while (handles.length < instanceCount) {
      const pool = await openDatabase({ url: database.url });
      pools.push(pool);
      handles.push(pool);
    }
    const instances: SchedulerInstance[] = handles.map((h) => startInstance(h.db));
    const sweepId = await createSweep(instances[0].sweeps, racingSweep(claims));
    const workers = Array.from({ length: 20 }, (_, i) => new DirectWorker(instances[i % instanceCount], `agent-${i}`));
    // Ticks come from the agents' messages; the timer catches what they miss (e.g. trials another instance inserted).
    for (const instance of instances) instance.scheduler.start(100);

    const holder = new Map<string, string>();
    const assignments: { trialId: string; worker: string }[] = [];
    const doubleHeld: string[] = [];
    const runAgent = async (worker: DirectWorker) => {
      for (let job = await worker.nextJob(); job; job = await worker.nextJob()) {
        if (holder.has(job.trialId)) doubleHeld.push(`${job.trialId}: ${holder.get(job.trialId)} and ${worker.id}`);
        holder.set(job.trialId, worker.id);
        assignments.push({ trialId: job.trialId, worker: worker.id });
        await worker.epoch(job, 1, 0.5);
        await worker.complete(job);
        holder.delete(job.trialId);
      }
    };
    const agents = workers.map(runAgent);
    await waitFor(async () => (await instances[0].sweeps.get(sweepId))?.status === "finished", 300_000, "the sweep to finish"); // correctness, not speed: a loaded machine only slows it
    for (const worker of workers) worker.close();
    await Promise.all(agents);
    await Promise.all(instances.map((i) => i.scheduler.stop()));

    expect(doubleHeld).toEqual([]);
    expect(assignments).toHaveLength(claims);
    expect(new Set(assignments.map((a) => a.trialId)).size).toBe(claims);
    const rows = await database.handle.db
      .select({ id: trialsTable.id, number: trialsTable.number, state: trialsTable.state, params: trialsTable.params, workerId: trialsTable.workerId })
      .from(trialsTable)
      .where(eq(trialsTable.sweepId, sweepId))
      .orderBy(asc(trialsTable.number));
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: claims }, (_, i) => i));
    expect(rows.filter((r) => r.state !== "complete")).toEqual([]);
    expect(new Set(rows.map((r) => JSON.stringify(Object.entries(r.params).sort()))).size).toBe(claims);
    // Each trial was completed by the agent it was handed to, and every instance handed out trials.
    const assignedTo = new Map(assignments.map((a) => [a.trialId, a.worker]));
    expect(rows.filter((r) => assignedTo.get(r.id) !== r.workerId)).toEqual([]);
    for (let i = 0; i < instanceCount; i++) expect(assignments.some((a) => Number(a.worker.split("-")[1]) % instanceCount === i)).toBe(true);
  }

  it("serves several idle workers in one claim, oldest trial first, one trial each", async () => {
    const store = new TrialStore(database.handle.db, 60_000);
    const sweeps = new SweepStore(database.handle.db);
    const sweepId = await createSweep(sweeps, tinySweep({ name: "batch" }));
    await sweeps.setStatus(sweepId, "running");
    await store.insertAllWaiting(sweepId, [0, 1].map((number) => ({ number, params: { learning_rate: number }, systemAttrs: {} })));
    const workers = ["a", "b", "c"].map((id) => ({ id, name: `worker ${id}` }));
    const claimed = await store.claimNextFor(workers);
    expect(claimed.map((t) => [t.number, t.workerId, t.workerName, t.state])).toEqual([
      [0, "a", "worker a", "running"],
      [1, "b", "worker b", "running"],
    ]);
    expect(await store.claimNextFor(workers)).toEqual([]);
    await sweeps.setStatus(sweepId, "finished");
  });

  // PGlite is one in-process connection (the race there is interleaving only), so a shorter one does.
  const claims = kind === "postgres" ? 10_000 : 2_000;
  it(`hands ${claims.toLocaleString("en")} trials to 20 agents through one scheduler, each exactly once`, () => race(1, claims), 360_000);

  it.runIf(kind === "postgres")("hands 2,000 trials to 20 agents through two schedulers on one database, each exactly once", () => race(2, 2_000), 360_000);
});
