// An agent whose trials end faster than the gateway's "idle" pace (2 a second after a burst of 10) sends one idle
// per trial: each must still get it its next trial. Dropping the ones over the pace left such an agent idle for good
// (seen at 1,000 sweeps with scripted agents), so a sweep of quick trials never finished.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerAgent, type WorkerAgent } from "../../../server/worker/agent";
import { scriptedTrainer } from "../../support/scripted-trainer";
import { sweepState } from "../../support/sweep-reads";
import { tinySweep } from "../../support/sweeps";
import { startTestServer, waitFor, type TestServer } from "../../support/test-server";

describe("an agent with trials shorter than the idle pace (pglite)", () => {
  let server: TestServer;
  let agent: WorkerAgent;

  beforeAll(async () => {
    server = await startTestServer("pglite");
    agent = startWorkerAgent({ serverUrl: server.app.url, token: "test-token-123", name: "quick", backend: "test", trainer: scriptedTrainer({ epochs: 1, epochDelayMs: 1 }) });
    await agent.ready;
  });
  afterAll(async () => {
    await agent?.stop();
    await server?.stop();
  });

  it("is handed every trial of a sweep, one after another", async () => {
    const created = await server.app.services.sweeps.create(tinySweep({ name: "quick", max_trials: 30, concurrency: 1 }));
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const done = await waitFor(
      async () => {
        const state = await sweepState(server.app.services, created.id);
        return state.sweep.status !== "running" && state.sweep.status !== "queued" && state;
      },
      60_000,
      "the sweep to finish",
    );
    expect(done.sweep.status).toBe("finished");
    expect(done.trials.filter((t) => t.state === "complete")).toHaveLength(30);
  }, 90_000);
});
