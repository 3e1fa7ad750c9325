// Trials ended by their sweep's stop are "stopped", not failed: they keep their last value and epochs, keep the
// model their worker sent after the stop (and can then be promoted; without one, promotion is a clear 409), and
// samplers see them as cut short (their epochs, no final value), never as complete results.
import { describe, expect, it } from "vitest";
import { DatabaseArtifactStore } from "../../../server/artifacts/database-store";
import { ModelRegistry } from "../../../server/models/model-registry";
import { loadStoredTrials } from "../../../server/scheduler/study-view";
import { STOPPED_BY_SWEEP } from "../../../server/scheduler/trial-lifecycle";
import { DATABASE_KINDS } from "../../support/databases";
import { fakeArtifactRef, fakeEpoch } from "../../support/reports";
import { useRunningSweep } from "../../support/running-sweep";

describe.each(DATABASE_KINDS)("stopped trials on %s", (kind) => {
  const sweep = useRunningSweep(kind);
  const registry = () => new ModelRegistry(sweep.database.handle.db, new DatabaseArtifactStore(sweep.database.handle.db));

  async function stoppedAfterEpochs(epochs: number) {
    const trial = await sweep.claimed(0, "w1");
    for (let epoch = 1; epoch <= epochs; epoch++) await sweep.store.recordEpoch(trial.id, "w1", 0, epoch, fakeEpoch(0.5 + epoch / 10));
    const stopped = await sweep.store.stopUnfinished(sweep.sweepId, STOPPED_BY_SWEEP);
    expect(stopped.map((t) => t.state)).toEqual(["stopped"]);
    return stopped[0];
  }

  it("keeps the model its worker sends after the stop, stays stopped, and can be promoted", async () => {
    const stopped = await stoppedAfterEpochs(2);
    expect(stopped).toMatchObject({ value: 0.7, epochs: 2, stopReason: STOPPED_BY_SWEEP, error: null });
    const kept = await sweep.store.complete(stopped.id, "w1", 0, { test_loss: 0.4, test_accuracy: 0.66 }, fakeArtifactRef());
    expect(kept).toMatchObject({ ok: true, duplicate: false, trial: { state: "stopped", value: 0.7, epochs: 2 } });
    expect(kept.ok && kept.trial.metrics.test_accuracy).toBe(0.66);
    // A re-sent report is acknowledged and changes nothing; another worker's is refused.
    expect(await sweep.store.complete(stopped.id, "w1", 0, { test_loss: 0.4, test_accuracy: 0.66 }, fakeArtifactRef())).toMatchObject({ ok: true, duplicate: true });
    expect(await sweep.store.complete(stopped.id, "w2", 0, { test_loss: 0.4, test_accuracy: 0.66 }, fakeArtifactRef())).toMatchObject({ ok: false });
    const { modelId } = await registry().promote(stopped.id);
    expect(modelId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("without a model, promotion is a conflict that says why", async () => {
    const stopped = await stoppedAfterEpochs(1);
    await expect(registry().promote(stopped.id)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("stopped with its sweep before it stored a model") });
    await sweep.store.insertWaiting(sweep.sweepId, 1, {});
    const [waiting] = await sweep.store.stopUnfinished(sweep.sweepId, STOPPED_BY_SWEEP);
    expect(waiting).toMatchObject({ number: 1, state: "stopped", value: null, epochs: 0 });
    await expect(registry().promote(waiting.id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("is given to samplers with its epochs and no final value", async () => {
    await stoppedAfterEpochs(2);
    const [stored] = await loadStoredTrials(sweep.database.handle.db, sweep.sweepId, "val_accuracy");
    expect(stored.frozen).toMatchObject({ state: "stopped", value: null, intermediate: { 1: 0.6, 2: 0.7 } });
  });
});
