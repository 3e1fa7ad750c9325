// A trial:complete names its weights by hash and size; the scheduler accepts it only once that blob is in the
// artifact store with that size, and says which it is otherwise (the worker's ack shows the reason).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putBytes } from "../../../server/artifacts/artifact-store";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";
import { createSweep, DirectWorker, startInstance } from "../../support/direct-workers";
import { fakeArtifact, fakeArtifactRef } from "../../support/reports";
import { tinySweep } from "../../support/sweeps";

describe.each(DATABASE_KINDS)("completion with an artifact reference on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());

  it("refuses a missing blob and a size that differs, then accepts the uploaded one", async () => {
    const instance = startInstance(database.handle.db);
    await createSweep(instance.sweeps, tinySweep({ max_trials: 1, concurrency: 1 }));
    const worker = new DirectWorker(instance, "w1");
    // Planning runs on the scheduler's ticks (as in the server): an idle worker only claims.
    instance.scheduler.start(50);
    const job = (await worker.nextJob())!;
    await worker.epoch(job, 1, 0.8);
    const report = (artifact = fakeArtifactRef()) => ({ trialId: job.trialId, attempt: job.attempt, testMetrics: { test_loss: 0.4, test_accuracy: 0.6 }, artifact });
    const { sha256 } = fakeArtifactRef().weights;

    expect(await instance.scheduler.completeTrial("w1", report())).toEqual({ ok: false, error: expect.stringContaining(`the weights ${sha256} were not uploaded`) });
    await putBytes(instance.artifacts, fakeArtifact().weights);
    const wrongSize = { ...fakeArtifactRef(), weights: { sha256, bytes: 5 } };
    expect(await instance.scheduler.completeTrial("w1", report(wrongSize))).toEqual({ ok: false, error: `the weights ${sha256} are 4 bytes, not the reported 5` });
    expect((await instance.trials.get(job.trialId))?.state).toBe("running");

    expect(await instance.scheduler.completeTrial("w1", report())).toEqual({ ok: true });
    expect((await instance.trials.get(job.trialId))?.state).toBe("complete");
    worker.close();
    await instance.scheduler.stop();
  });
});
