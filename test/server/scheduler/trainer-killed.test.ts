// A trainer process killed by a signal (the OOM killer, kill -9) mid-trial is an infrastructure fault: the worker
// reports it as such, the server re-queues the trial as its next attempt, and the same worker (with a fresh trainer
// process) runs it again to completion. The lease is long, so only the worker's report can explain the re-run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTrainer, type Trainer } from "../../../server/training/trainer-client";
import { startWorkerAgent, type WorkerAgent } from "../../../server/worker/agent";
import { sweepTrials, trialEpochNumbers } from "../../support/sweep-reads";
import { tinySweep } from "../../support/sweeps";
import { startTestServer, waitFor, type TestServer } from "../../support/test-server";

describe("a trainer killed by SIGKILL mid-trial", () => {
  let server: TestServer;
  let trainer: Trainer;
  let agent: WorkerAgent;
  const logs: string[] = [];

  beforeAll(async () => {
    server = await startTestServer("pglite", { leaseMs: 600_000, log: (m) => logs.push(m) });
    trainer = createTrainer({ env: { SWEEPBOARD_HOME: server.home } });
    agent = startWorkerAgent({ serverUrl: server.app.url, token: server.app.workerToken, name: "w", backend: await trainer.backend(), trainer });
    await agent.ready;
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    await server?.stop();
  });

  it("has its trial re-run as attempt 2, which finishes", async () => {
    const { services } = server.app;
    const created = await services.sweeps.create(tinySweep({ name: "trainer-killed", max_trials: 1, concurrency: 1, subset: 600, epochs: 3 }));
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const first = await waitFor(async () => (await sweepTrials(services, created.id)).find((t) => t.state === "running" && t.epochs >= 1), 120_000, "a first epoch");
    const pid = trainer.pid;
    expect(pid).toBeTypeOf("number");
    process.kill(pid!, "SIGKILL");

    const done = await waitFor(async () => {
      const [trial] = await sweepTrials(services, created.id);
      return trial?.state === "complete" && trial;
    }, 180_000, "the re-run to complete");
    expect(done).toMatchObject({ id: first.id, attempt: 1, workerName: "w" });
    expect(done.stopReason ?? "").not.toContain("lost"); // the completion replaced the re-queue's note
    expect(trainer.pid).not.toBe(pid);
    expect(await trialEpochNumbers(services, created.id, done.id)).toEqual([1, 2, 3]);
    expect(logs.some((m) => m.includes("attempt 1 lost: trainer process was killed by SIGKILL"))).toBe(true);
    await waitFor(async () => (await services.sweeps.get(created.id, { limit: "1" })).sweep.status === "finished", 10_000, "the sweep to finish");
  }, 360_000);
});
