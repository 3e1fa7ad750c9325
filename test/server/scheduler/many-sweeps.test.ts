// The scheduler among many active sweeps: an event plans its own sweep only, ticks plan a bounded batch, the
// periodic scan plans only sweeps whose inputs changed, and a stop ends all unfinished trials in one statement.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { trials as trialsTable } from "../../../server/db/schema";
import { controlSweep, STOPPED_BY_SWEEP } from "../../../server/scheduler/sweep-control";
import { TrialLifecycle } from "../../../server/scheduler/trial-lifecycle";
import type { Scheduler } from "../../../server/scheduler/scheduler";
import type { SweepRow } from "../../../server/sweeps/sweep-store";
import { createTestDatabase, type TestDatabase } from "../../support/databases";
import { createSweep, DirectWorker, SILENT_PUBLISHER, startInstance, type SchedulerInstance } from "../../support/direct-workers";
import { tinySweep } from "../../support/sweeps";
import { waitFor } from "../../support/test-server";

const SWEEPS = 200;
const BATCH = 16;

/** Which sweep each plan call was for, and in which tick it ran. */
function watchPlans(scheduler: Scheduler): { sweepId: string; tick: number }[] {
  const calls: { sweepId: string; tick: number }[] = [];
  const target = scheduler.planner as unknown as { plan: (sweep: SweepRow) => Promise<unknown> };
  const plan = target.plan.bind(scheduler.planner);
  vi.spyOn(target, "plan").mockImplementation((sweep) => {
    calls.push({ sweepId: sweep.id, tick: scheduler.stats.ticks });
    return plan(sweep);
  });
  return calls;
}

describe("the scheduler among 200 active sweeps (pglite)", () => {
  let database: TestDatabase;
  let instance: SchedulerInstance;
  let ids: string[];
  let plans: { sweepId: string; tick: number }[];

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    instance = startInstance(database.handle.db, { planningBatch: { sweeps: BATCH, ms: 60_000 } });
    plans = watchPlans(instance.scheduler);
    ids = [];
    for (let i = 0; i < SWEEPS; i++) ids.push(await createSweep(instance.sweeps, tinySweep({ name: `s${i}`, max_trials: 3, concurrency: 1 })));
  }, 120_000);
  afterAll(async () => {
    await instance.scheduler.stop();
    await database.drop();
  });

  const waitingOf = async (sweepId: string) =>
    (await database.handle.db.select().from(trialsTable).where(eq(trialsTable.sweepId, sweepId))).filter((t) => t.state === "waiting").length;

  it("works a backlog off in bounded ticks, each sweep once, then a scan finds nothing to plan", async () => {
    await instance.scheduler.requestScan();
    await waitFor(() => plans.length >= SWEEPS, 60_000, "every sweep to be planned");
    await waitFor(async () => (await waitingOf(ids.at(-1)!)) === 1, 10_000, "the last sweep's trial");
    expect(new Set(plans.map((p) => p.sweepId)).size).toBe(SWEEPS);
    expect(plans).toHaveLength(SWEEPS);
    const perTick = new Map<number, number>();
    for (const { tick } of plans) perTick.set(tick, (perTick.get(tick) ?? 0) + 1);
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(BATCH);
    expect(perTick.size).toBeGreaterThanOrEqual(SWEEPS / BATCH);

    plans.length = 0;
    await instance.scheduler.requestScan();
    expect(plans).toEqual([]);
  }, 120_000);

  it("plans only the sweep an event is about, and a scan only the sweep changed behind its back", async () => {
    plans.length = 0;
    const created = await createSweep(instance.sweeps, tinySweep({ name: "new", max_trials: 2, concurrency: 2 }));
    await instance.scheduler.requestTick(created);
    expect(plans.map((p) => p.sweepId)).toEqual([created]);
    expect(await waitingOf(created)).toBe(2);

    // Another instance (here: the store directly) fails a trial of one sweep: the scan plans that one alone.
    plans.length = 0;
    const [trial] = await database.handle.db.select().from(trialsTable).where(eq(trialsTable.sweepId, ids[7]));
    expect((await instance.trials.fail(trial.id, null, "failed elsewhere")).ok).toBe(true);
    await instance.scheduler.requestScan();
    expect(plans.map((p) => p.sweepId)).toEqual([ids[7]]);
    expect(await waitingOf(ids[7])).toBe(1);
  }, 60_000);

  it("stops a sweep with one UPDATE of its trials, telling every trial's worker and the dashboard", async () => {
    const sweepId = await createSweep(instance.sweeps, tinySweep({ name: "to-stop", max_trials: 6, concurrency: 5 }));
    await instance.scheduler.requestTick(sweepId);
    const workers = [new DirectWorker(instance, "a"), new DirectWorker(instance, "b")];
    const jobs = await Promise.all(workers.map((w) => w.nextJob()));
    const running = jobs.map((j) => j!.trialId);
    // The two running trials may come from other sweeps (the fair-share queue): count this sweep's own.
    const before = await database.handle.db.select().from(trialsTable).where(eq(trialsTable.sweepId, sweepId));
    expect(before).toHaveLength(5);

    plans.length = 0;
    const trialChanged = vi.fn(async (_trialId: string) => {});
    const updates = vi.spyOn(database.handle.db, "update");
    const publisher = { ...SILENT_PUBLISHER, trialChanged };
    const lifecycle = new TrialLifecycle({ trials: instance.trials, cache: instance.cache, workers: instance.workers, publisher });
    const deps = { sweeps: instance.sweeps, trials: lifecycle, publisher, requestTick: (id: string) => instance.scheduler.requestTick(id) };
    await controlSweep(deps, sweepId, "stop");
    expect(updates.mock.calls.filter(([table]) => table === trialsTable)).toHaveLength(1);
    updates.mockRestore();

    const after = await database.handle.db.select().from(trialsTable).where(eq(trialsTable.sweepId, sweepId));
    expect(after.map((t) => [t.state, t.stopReason, t.error])).toEqual(after.map(() => ["stopped", STOPPED_BY_SWEEP, null]));
    expect(trialChanged.mock.calls.map(([id]) => id).sort()).toEqual(before.map((t) => t.id).sort());
    const ours = before.filter((t) => running.includes(t.id));
    for (const trial of ours) expect(workers.some((w) => w.stopped.has(trial.id))).toBe(true);
    // Other sweeps' running trials were left alone, and the stopped sweep is not planned again.
    for (const id of running.filter((id) => !ours.some((t) => t.id === id))) expect((await instance.trials.get(id))?.state).toBe("running");
    await instance.scheduler.requestTick();
    expect(plans).toEqual([]);
    for (const w of workers) w.close();
  }, 60_000);
});
