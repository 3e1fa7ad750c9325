// Two `sweepboard start` processes on one PostgreSQL database, each with its own worker agents: the sweep created on
// instance A is planned by one of them, trials go to workers on both, none is scheduled twice, and a browser
// connected to instance B sees the updates that workers on A cause (Socket.IO's PostgreSQL adapter). When the
// instance planning a sweep is killed, the other takes the sweep over (its advisory lock went with the process).
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import type { DashboardClientEvents, DashboardServerEvents } from "../../server/realtime/events";
import { httpReads, sweepState } from "../support/sweep-reads";
import type { Trainer } from "../../server/training/trainer-client";
import { startWorkerAgent, type WorkerAgent } from "../../server/worker/agent";
import { dashboardSocket } from "../support/auth";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/databases";
import { scriptedTrainer } from "../support/scripted-trainer";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { tinySweep } from "../support/sweeps";
import { waitFor } from "../support/test-server";

const TOKEN = "multi-instance-token";
const TRIALS = 8;
const EPOCHS = 4;
if (!postgresAvailable) console.warn("multi-instance test skipped: it needs PostgreSQL (PGlite is one process)");

describe.runIf(postgresAvailable)("two server instances on one PostgreSQL database", () => {
  let database: TestDatabase;
  // A short lease: the trials a killed instance's workers held are re-queued soon.
  const env = () => ({ DATABASE_URL: database.url!, SWEEPBOARD_WORKERS: "0", SWEEPBOARD_WORKER_TOKEN: TOKEN, SWEEPBOARD_LEASE_MS: "2000" });
  const servers: ServerProcess[] = [];
  const agents: WorkerAgent[] = [];
  let browser: Socket<DashboardServerEvents, DashboardClientEvents> | null = null;
  // Every trainer records which trials run right now: a second run of one at the same time is a double schedule.
  const running = new Map<string, number>();
  const overlaps: string[] = [];

  const watched = (trainer: Trainer): Trainer => ({
    ...trainer,
    async train(job, onEpoch) {
      const now = (running.get(job.trialId) ?? 0) + 1;
      running.set(job.trialId, now);
      if (now > 1) overlaps.push(job.trialId);
      try {
        return await trainer.train(job, onEpoch);
      } finally {
        running.set(job.trialId, running.get(job.trialId)! - 1);
      }
    },
  });
  const startAgents = async (server: ServerProcess, name: string, epochDelayMs = 40) => {
    const trainers = [0, 1].map(() => scriptedTrainer({ epochs: EPOCHS, epochDelayMs }));
    const started = trainers.map((trainer, i) => startWorkerAgent({ serverUrl: server.url, token: TOKEN, name: `${name}-${i}`, backend: "test", trainer: watched(trainer) }));
    agents.push(...started);
    await Promise.all(started.map((agent) => agent.ready));
    return trainers;
  };
  const createSweep = async (server: ServerProcess, name: string): Promise<string> => {
    const base = tinySweep({ name, max_trials: TRIALS, concurrency: 4 });
    const document = { ...base, parameters: { ...base.parameters, epochs: { value: EPOCHS } } };
    const created = await server.fetch(`/api/sweeps`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(document) });
    expect(created.status).toBe(201);
    return ((await created.json()) as { id: string }).id;
  };
  const finished = (server: ServerProcess, id: string) =>
    waitFor(async () => {
      const d = await sweepState(httpReads((path) => server.fetch(path)), id);
      return d.sweep?.status === "finished" && d;
    }, 120_000, "the sweep to finish");

  beforeAll(async () => {
    await ensureDashboardBuilt(PROJECT_ROOT, console.log);
    database = await createTestDatabase("postgres");
  }, 600_000);
  const stopAll = async () => {
    browser?.close();
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  };
  afterAll(async () => {
    await stopAll();
    await database?.drop();
  });

  it("schedules each trial once and shows every instance's updates on the other", async () => {
    const [a, b] = await Promise.all([startServerProcess(env()), startServerProcess(env())]);
    servers.push(a, b);
    const onA = await startAgents(a, "a");
    const onB = await startAgents(b, "b");
    const id = await createSweep(a, "multi-instance");

    browser = dashboardSocket(b.url, b.apiToken);
    const epochsSeen = new Set<string>();
    const completedSeen = new Set<string>();
    browser.on("trial:epochs", (e) => e.epochs.forEach(({ trialId, record }) => epochsSeen.add(`${trialId}:${record.epoch}`)));
    browser.on("trial:updated", ({ trial }) => trial.state === "complete" && completedSeen.add(trial.id));
    expect(await browser.emitWithAck("sweep:subscribe", { sweepId: id })).toEqual({ ok: true });

    const detail = await finished(b, id);
    expect(detail.trials.map((t) => t.number).sort((x, y) => x - y)).toEqual([...Array(TRIALS).keys()]);
    expect(detail.trials.every((t) => t.state === "complete" && t.attempt === 0)).toBe(true);
    expect(overlaps).toEqual([]);
    const trainedOnA = onA.flatMap((t) => t.trained);
    const trainedOnB = onB.flatMap((t) => t.trained);
    expect(new Set([...trainedOnA, ...trainedOnB]).size).toBe(TRIALS);
    expect(trainedOnA.length + trainedOnB.length).toBe(TRIALS);
    // The browser on B heard of the trials that workers on A ran: each of their epochs and their completion.
    expect(trainedOnA.length).toBeGreaterThan(0);
    await waitFor(() => trainedOnA.every((trialId) => completedSeen.has(trialId)), 10_000, "B's browser to see A's trials complete");
    for (const trialId of trainedOnA) for (let epoch = 1; epoch <= EPOCHS; epoch++) expect(epochsSeen.has(`${trialId}:${epoch}`)).toBe(true);
    for (const server of servers) expect(server.output()).not.toMatch(/unhandled|uncaught|tick failed/i);
  }, 300_000);

  it("hands a sweep's planning over when the instance planning it is killed", async () => {
    await stopAll(); // the first test's instances and workers would take trials of this sweep too
    // C alone when the sweep is created, so C takes its planning lock; D joins, workers start on both (slow epochs:
    // the sweep must be far from done when C dies), then C is killed mid-sweep.
    const c = await startServerProcess(env());
    servers.push(c);
    const id = await createSweep(c, "takeover");
    await waitFor(async () => (await sweepState(httpReads((path) => c.fetch(path)), id)).trials.length > 0, 10_000, "C to plan");
    const d = await startServerProcess(env());
    servers.push(d);
    await Promise.all([startAgents(c, "c", 150), startAgents(d, "d", 150)]);
    const before = await waitFor(async () => {
      const detail = await sweepState(httpReads((path) => d.fetch(path)), id);
      return detail.trials.some((t) => t.state === "complete") && detail;
    }, 60_000, "a first finished trial");
    await c.crash();
    expect(before.trials.length).toBeLessThan(TRIALS);

    // Only D can propose the remaining trials, and it re-queues what C's workers held once their leases lapse.
    const detail = await finished(d, id);
    expect(detail.trials.map((t) => t.number).sort((x, y) => x - y)).toEqual([...Array(TRIALS).keys()]);
    expect(detail.trials.every((t) => t.state === "complete")).toBe(true);
    expect(d.output()).toContain("sweep takeover finished");
  }, 300_000);
});
