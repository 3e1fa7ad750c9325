// A pause or stop that lands while a planning pass is between its read of the sweep and its writes is never
// overwritten. The planner's hook runs the control at exactly that point (no sleeps): the pass then writes from
// the status it read, and every one of its writes must find the sweep moved and change nothing.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DatabaseArtifactStore } from "../../../server/artifacts/database-store";
import { trials as trialsTable } from "../../../server/db/schema";
import { Scheduler } from "../../../server/scheduler/scheduler";
import { controlSweep, type SweepAction } from "../../../server/scheduler/sweep-control";
import { TrialCache } from "../../../server/scheduler/trial-cache";
import { TrialStore } from "../../../server/scheduler/trial-store";
import { WorkerRegistry } from "../../../server/scheduler/worker-registry";
import type { SweepRow } from "../../../server/sweeps/sweep-store";
import { SweepStore } from "../../../server/sweeps/sweep-store";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";
import { createSweep, SILENT_PUBLISHER } from "../../support/direct-workers";
import { fakeArtifactRef, fakeEpoch } from "../../support/reports";
import { tinySweep } from "../../support/sweeps";

describe.each(DATABASE_KINDS)("a control landing mid-plan on %s", (kind) => {
  let database: TestDatabase;
  let sweeps: SweepStore;
  let trials: TrialStore;
  let scheduler: Scheduler;
  const errors: string[] = [];
  /** Runs inside the planning pass, after it read the sweep: the interleaved control. */
  let midPlan: ((sweep: SweepRow) => Promise<void>) | null = null;
  /** The statuses the passes read (to show the hook ran where it should). */
  const seen: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const { db } = database.handle;
    sweeps = new SweepStore(db);
    trials = new TrialStore(db, 60_000);
    const workers = new WorkerRegistry();
    const afterRead = async (sweep: SweepRow) => {
      seen.push(sweep.status);
      const control = midPlan;
      midPlan = null; // once: the control's own follow-up tick plans undisturbed
      await control?.(sweep);
    };
    scheduler = new Scheduler({
      db,
      sweeps,
      trials,
      workers,
      publisher: SILENT_PUBLISHER,
      trialCache: new TrialCache(db),
      artifacts: new DatabaseArtifactStore(db),
      log: (message) => message.includes("failed") && errors.push(message),
      planningHooks: { afterRead },
    });
  });
  afterAll(async () => {
    await scheduler.stop();
    await database.drop();
  });
  beforeEach(() => {
    errors.length = 0;
    seen.length = 0;
  });

  const control = (sweepId: string, action: SweepAction) =>
    controlSweep({ sweeps, trials: scheduler.lifecycle, publisher: SILENT_PUBLISHER, requestTick: (id) => scheduler.requestTick(id) }, sweepId, action);
  const trialsOf = (sweepId: string) => database.handle.db.select().from(trialsTable).where(eq(trialsTable.sweepId, sweepId));
  /** Plans the sweep with `action` landing mid-pass, then lets the ticks it caused run out. */
  async function planWith(sweepId: string, action: SweepAction): Promise<void> {
    midPlan = () => control(sweepId, action);
    await scheduler.requestTick(sweepId);
    await scheduler.requestTick();
    expect(midPlan).toBeNull();
    expect(errors).toEqual([]);
  }
  /** A running sweep whose only trial is complete: its next plan finishes it. */
  async function spentSweep(): Promise<string> {
    const sweepId = await createSweep(sweeps, tinySweep({ max_trials: 1, concurrency: 1 }));
    await sweeps.setStatus(sweepId, "running");
    await trials.insertWaiting(sweepId, 0, {});
    const { id } = (await trials.claimNext("w", "w"))!;
    await trials.recordEpoch(id, "w", 0, 1, fakeEpoch(0.7));
    expect((await trials.complete(id, "w", 0, { test_loss: 0.4, test_accuracy: 0.7 }, fakeArtifactRef())).ok).toBe(true);
    return sweepId;
  }

  it("a pause of a queued sweep is not overwritten by the pass starting it, and no trial is proposed", async () => {
    const sweepId = await createSweep(sweeps, tinySweep({ max_trials: 4, concurrency: 2 }));
    await planWith(sweepId, "pause");
    expect(seen[0]).toBe("queued");
    expect((await sweeps.get(sweepId))?.status).toBe("paused");
    expect(await trialsOf(sweepId)).toEqual([]);
  });

  it("a stop of a running sweep leaves no trial the pass proposed waiting", async () => {
    const sweepId = await createSweep(sweeps, tinySweep({ max_trials: 4, concurrency: 2 }));
    await sweeps.setStatus(sweepId, "running");
    await planWith(sweepId, "stop");
    expect(seen[0]).toBe("running");
    expect((await sweeps.get(sweepId))?.status).toBe("stopped");
    expect((await trialsOf(sweepId)).filter((t) => t.state !== "stopped")).toEqual([]);
  });

  it("a pause is not overwritten by the pass finishing the sweep; resumed, the sweep finishes", async () => {
    const sweepId = await spentSweep();
    await planWith(sweepId, "pause");
    expect((await sweeps.get(sweepId))?.status).toBe("paused");
    await control(sweepId, "resume");
    await scheduler.requestTick(sweepId);
    expect((await sweeps.get(sweepId))?.status).toBe("finished");
  });

  it("a stop is not overwritten by the pass finishing the sweep", async () => {
    const sweepId = await spentSweep();
    await planWith(sweepId, "stop");
    expect((await sweeps.get(sweepId))?.status).toBe("stopped");
  });
});
