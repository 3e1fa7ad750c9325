// The scheduler driven by the search library: model-based samplers propose from stored trials, and the
// sweep's pruner ends trials on the server, with its reason stored and the worker told to stop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerAgent, type WorkerAgent } from "../../../server/worker/agent";
import { DATABASE_KINDS } from "../../support/databases";
import { scriptedTrainer } from "../../support/scripted-trainer";
import { tinySweep } from "../../support/sweeps";
import { startTestServer, waitFor, type TestServer } from "../../support/test-server";
import { sweepState, trialEpochNumbers } from "../../support/sweep-reads";

describe.each(DATABASE_KINDS)("search in the scheduler on %s", (kind) => {
  let server: TestServer;
  const agents: WorkerAgent[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await server.stop();
  });

  /** `epochs` per scripted trial: at most the document's epoch count, beyond which the server refuses reports. */
  async function runSweep(document: object, accuracy: (params: Record<string, unknown>, epoch: number) => number, epochs = 4) {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    for (const name of ["a", "b"]) {
      const agent = startWorkerAgent({ serverUrl: server.app.url, token: "test-token-123", name, backend: "test", trainer: scriptedTrainer({ epochs, epochDelayMs: 1, accuracy }) });
      agents.push(agent);
      await agent.ready;
    }
    const created = await server.app.services.sweeps.create(document);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    return waitFor(async () => {
      const d = await sweepState(server.app.services, created.id);
      return ["finished", "failed"].includes(d.sweep.status) && d;
    }, 60_000, "the sweep to finish");
  }

  it("prunes trials below the threshold after their first epoch, storing why", async () => {
    const document = { ...tinySweep({ max_trials: 6, concurrency: 2 }), pruner: { type: "threshold", lower: 0.5 } };
    document.parameters.epochs = { value: 4 };
    // Half the learning rates give a hopeless trial.
    const detail = await runSweep(document, (params, epoch) => ((params.learning_rate as number) < 0.003 ? 0.3 : 0.6 + epoch / 100));
    const pruned = detail.trials.filter((t) => t.state === "pruned");
    const complete = detail.trials.filter((t) => t.state === "complete");
    expect(pruned.length + complete.length).toBe(6);
    expect(pruned.length).toBeGreaterThan(0);
    for (const trial of pruned) {
      expect(trial.params.learning_rate as number).toBeLessThan(0.003);
      expect(await trialEpochNumbers(server.app.services, detail.sweep.id, trial.id)).toEqual([1]);
      expect(trial.stopReason).toMatch(/epoch 1.*val_accuracy.*0\.3/);
    }
    for (const trial of complete) expect(await trialEpochNumbers(server.app.services, detail.sweep.id, trial.id)).toHaveLength(4);
  });

  it("does not prune at a trial's last epoch: the finished model is kept", async () => {
    const document = { ...tinySweep({ max_trials: 2, concurrency: 2 }), pruner: { type: "threshold", lower: 0.5 } };
    const detail = await runSweep(document, () => 0.3, 1);
    expect(detail.trials.map((t) => t.state)).toEqual(["complete", "complete"]);
  });

  it("runs a TPE sweep without proposing a configuration twice", async () => {
    const document = {
      ...tinySweep({ max_trials: 16, concurrency: 2 }),
      method: "tpe",
      parameters: {
        learning_rate: { values: [0.001, 0.002, 0.003, 0.004] },
        units: { values: [16, 32, 64, 128] },
        optimizer: { values: ["adam", "sgd"] },
        epochs: { value: 1 },
      },
    };
    const detail = await runSweep(document, (params) => 0.5 + (params.units as number) / 1000 - Math.abs((params.learning_rate as number) - 0.003) * 10, 1);
    expect(detail.sweep.status).toBe("finished");
    expect(detail.trials).toHaveLength(16);
    const keys = detail.trials.map((t) => JSON.stringify([t.params.learning_rate, t.params.units, t.params.optimizer]));
    expect(new Set(keys).size).toBe(16);

    // The study views over the same trials: the optimizer does not matter to this objective, the other two do.
    const analysis = await server.app.services.sweeps.analysis(detail.sweep.id);
    expect(analysis.history.points).toHaveLength(16);
    expect(analysis.parallelCoordinates.axes.map((a) => a.name).sort()).toEqual(["learning_rate", "optimizer", "units"]);
    expect(analysis.parallelCoordinates.lines).toHaveLength(16);
    expect(analysis.slices).toHaveLength(3);
    const importance = Object.fromEntries(analysis.importance.map((i) => [i.param, i.importance]));
    expect(importance.optimizer).toBeLessThan(Math.max(importance.learning_rate, importance.units));
    await expect(server.app.services.sweeps.analysis("not-a-sweep")).rejects.toMatchObject({ code: "not_found" });
  });

  it("finishes a grid sweep when the grid is exhausted, before the trial budget", async () => {
    const document = {
      ...tinySweep({ max_trials: 50, concurrency: 2 }),
      method: "grid",
      parameters: { learning_rate: { values: [0.001, 0.003] }, units: { values: [16, 32, 64] }, epochs: { value: 1 } },
    };
    const detail = await runSweep(document, () => 0.7, 1);
    expect(detail.sweep.status).toBe("finished");
    expect(detail.trials).toHaveLength(6);
  });
});
