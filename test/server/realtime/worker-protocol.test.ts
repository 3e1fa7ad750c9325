// The scheduler, the gateways and real worker agents over real Socket.IO and a real database.
// The trainer is scripted here so the protocol is tested in isolation; end-to-end tests use TF.js.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { DashboardClientEvents, DashboardServerEvents } from "../../../server/realtime/events";
import { startWorkerAgent, type WorkerAgent } from "../../../server/worker/agent";
import { createToken, dashboardSocket, rawWorkerSocket } from "../../support/auth";
import { DATABASE_KINDS } from "../../support/databases";
import { fakeEpoch, fakeEvaluation } from "../../support/reports";
import { scriptedTrainer } from "../../support/scripted-trainer";
import { tinySweep } from "../../support/sweeps";
import { startTestServer, waitFor, type TestServer } from "../../support/test-server";
import { sweepState, trialEpochNumbers } from "../../support/sweep-reads";

describe.each(DATABASE_KINDS)("worker protocol on %s", (kind) => {
  let server: TestServer;
  const agents: WorkerAgent[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await Promise.all(agents.map((a) => a.stop()));
    await server.stop();
  });

  const agent = (name: string, trainer = scriptedTrainer(), token = "test-token-123") => {
    const a = startWorkerAgent({ serverUrl: server.app.url, token, name, backend: "test", trainer });
    agents.push(a);
    return a;
  };

  async function finished(id: string) {
    return waitFor(async () => {
      const detail = await sweepState(server.app.services, id);
      return ["finished", "failed"].includes(detail.sweep.status) && detail;
    }, 30_000, `sweep ${id} to finish`);
  }

  it("refuses a worker with a wrong token, clearly", async () => {
    await expect(agent("intruder", scriptedTrainer(), "wrong-token").ready).rejects.toThrow("invalid worker token");
    expect(server.app.services.workers.connected()).toBe(0);
  });

  it("runs a sweep to the end with two workers and streams every epoch to a subscribed browser", async () => {
    const created = await server.app.services.sweeps.create(tinySweep({ max_trials: 4, concurrency: 2, epochs: 2 }));
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const browser: Socket<DashboardServerEvents, DashboardClientEvents> = dashboardSocket(server.app.url, await createToken(server.app));
    sockets.push(browser);
    const epochs: string[] = [];
    browser.on("trial:epochs", (e) => epochs.push(...e.epochs.map(({ trialId, record }) => `${trialId}:${record.epoch}`)));
    expect(await browser.emitWithAck("sweep:subscribe", { sweepId: created.id })).toEqual({ ok: true });

    const trainers = [scriptedTrainer({ epochs: 2 }), scriptedTrainer({ epochs: 2 })];
    await Promise.all([agent("one", trainers[0]).ready, agent("two", trainers[1]).ready]);
    const detail = await finished(created.id);

    expect(detail.sweep.status).toBe("finished");
    expect(detail.trials.map((t) => t.number)).toEqual([0, 1, 2, 3]);
    expect(detail.trials.every((t) => t.state === "complete" && t.value === 0.7)).toBe(true);
    for (const t of detail.trials) expect(await trialEpochNumbers(server.app.services, created.id, t.id)).toEqual([1, 2]);
    expect(detail.trials.every((t) => t.metrics.test_accuracy === 0.7)).toBe(true);
    // The end-of-trial evaluation is stored apart and served on demand (not pushed with trial updates).
    expect(await server.app.services.trials.evaluation(detail.trials[0].id)).toEqual(fakeEvaluation());
    // Both workers took part and no trial ran twice.
    expect(trainers.every((t) => t.trained.length > 0)).toBe(true);
    expect(new Set([...trainers[0].trained, ...trainers[1].trained]).size).toBe(4);
    await waitFor(() => epochs.length === 8, 5000, "8 pushed epochs");
    expect(new Set(epochs).size).toBe(8);
  });

  it("marks a trial whose training throws as failed with the error, and the sweep as failed when all did", async () => {
    await Promise.all(agents.map((a) => a.stop()));
    agents.length = 0;
    await agent("broken", scriptedTrainer({ failWith: "diverged at epoch 1: loss is NaN" })).ready;
    const created = await server.app.services.sweeps.create(tinySweep({ max_trials: 2, concurrency: 1 }));
    if (!created.ok) throw new Error("bad fixture");
    const detail = await finished(created.id);
    expect(detail.sweep.status).toBe("failed");
    expect(detail.trials.map((t) => [t.state, t.error])).toEqual([
      ["failed", "diverged at epoch 1: loss is NaN"],
      ["failed", "diverged at epoch 1: loss is NaN"],
    ]);
    await expect(server.app.services.models.promote(detail.trials[0].id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("answers malformed reports with a clear error instead of storing them", async () => {
    const raw = rawWorkerSocket(server.app.url, "test-token-123");
    sockets.push(raw);
    await waitFor(() => raw.connected, 5000, "raw worker to connect");
    const bad = await raw.emitWithAck("trial:epoch", { trialId: "not-a-uuid", attempt: 0, epoch: 1, metrics: fakeEpoch(0.5) });
    expect(bad).toEqual({ ok: false, error: expect.stringContaining("invalid payload: trialId") });
    const unknown = await raw.emitWithAck("trial:epoch", { trialId: "00000000-0000-4000-8000-000000000000", attempt: 0, epoch: 1, metrics: fakeEpoch(0.5) });
    expect(unknown).toEqual({ ok: false, error: expect.stringContaining("unknown trial") });
    const negative = await raw.emitWithAck("trial:epoch", { trialId: "00000000-0000-4000-8000-000000000000", attempt: 0, epoch: -1, metrics: fakeEpoch(0.5) });
    expect(negative.ok).toBe(false);
  });

  it("rejects a browser subscription to a sweep that does not exist", async () => {
    const browser = dashboardSocket(server.app.url, await createToken(server.app));
    sockets.push(browser);
    expect(await browser.emitWithAck("sweep:subscribe", { sweepId: "00000000-0000-4000-8000-000000000000" })).toEqual({ ok: false, error: "sweep not found" });
    expect(await browser.emitWithAck("sweep:subscribe", { sweepId: 42 })).toMatchObject({ ok: false });
  });
});

describe.each(DATABASE_KINDS)("worker failures on %s", (kind) => {
  let server: TestServer;
  const agents: WorkerAgent[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind, { leaseMs: 1000 });
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await server.stop();
  });

  const agent = (name: string, trainer = scriptedTrainer()) => {
    const a = startWorkerAgent({ serverUrl: server.app.url, token: "test-token-123", name, backend: "test", trainer, heartbeatMs: 200 });
    agents.push(a);
    return a;
  };

  it("keeps every epoch exactly once when the connection drops mid-trial", async () => {
    const trainer = scriptedTrainer({ epochs: 6, epochDelayMs: 150 });
    await agent("flaky", trainer).ready;
    const created = await server.app.services.sweeps.create(tinySweep({ max_trials: 1, concurrency: 1, epochs: 6 }));
    if (!created.ok) throw new Error("bad fixture");
    await waitFor(async () => (await sweepState(server.app.services, created.id)).trials[0]?.epochs >= 2, 10_000, "two epochs");
    // Drop the transport under the worker: it reconnects by itself and re-sends what was not acknowledged.
    for (const socket of server.app.workerIo.of("/workers").sockets.values()) socket.conn.close();
    const detail = await waitFor(async () => {
      const d = await sweepState(server.app.services, created.id);
      return d.sweep.status === "finished" && d;
    }, 20_000, "the sweep to finish after the reconnect");
    expect(detail.trials[0].state).toBe("complete");
    expect(await trialEpochNumbers(server.app.services, created.id, detail.trials[0].id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("re-queues the trial of a worker that goes silent once its lease lapses, and finishes it elsewhere", async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    const slow = agent("vanishing", scriptedTrainer({ epochs: 50, epochDelayMs: 200 }));
    await slow.ready;
    const created = await server.app.services.sweeps.create(tinySweep({ max_trials: 2, concurrency: 1, epochs: 50 }));
    if (!created.ok) throw new Error("bad fixture");
    await waitFor(async () => (await sweepState(server.app.services, created.id)).trials[0]?.epochs >= 1, 10_000, "a first epoch");
    await slow.stop();
    await agent("rescuer", scriptedTrainer({ epochs: 2 })).ready;
    const detail = await waitFor(async () => {
      const d = await sweepState(server.app.services, created.id);
      return d.sweep.status === "finished" && d;
    }, 20_000, "the sweep to finish");
    // Same trial, same number, second attempt; its history is the second attempt's, whole and once.
    expect(detail.trials).toHaveLength(2);
    expect(detail.trials[0]).toMatchObject({ number: 0, state: "complete", attempt: 1, workerName: "rescuer" });
    expect(await trialEpochNumbers(server.app.services, created.id, detail.trials[0].id)).toEqual([1, 2]);
    expect(detail.trials[1]).toMatchObject({ state: "complete", attempt: 0 });
  });

});
