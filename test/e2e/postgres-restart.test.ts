// Restart PostgreSQL in the middle of a sweep: the server (a real `sweepboard start` process) and its worker agents
// ride it out — reports are retried until the server can commit them — and the sweep finishes with every epoch the
// server had acknowledged stored, once each. The database is a private instance, so stopping it disturbs no other
// test.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import { httpReads, sweepState } from "../support/sweep-reads";
import { startWorkerAgent, type WorkerAgent } from "../../server/worker/agent";
import { postgresBinaries, startPrivatePostgres, type PrivatePostgres } from "../support/private-postgres";
import { scriptedTrainer } from "../support/scripted-trainer";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { tinySweep } from "../support/sweeps";
import { waitFor } from "../support/test-server";

const TOKEN = "pg-restart-token";
const available = postgresBinaries() !== null;
if (!available && process.env.CI === "true") throw new Error("PostgreSQL binaries are required in CI for the restart test");

describe.runIf(available)("a PostgreSQL restart mid-sweep", () => {
  let database: PrivatePostgres;
  let server: ServerProcess | null = null;
  const agents: WorkerAgent[] = [];
  const trainers = [scriptedTrainer({ epochs: 12, epochDelayMs: 40 }), scriptedTrainer({ epochs: 12, epochDelayMs: 40 })];

  beforeAll(async () => {
    await ensureDashboardBuilt(PROJECT_ROOT, console.log);
    database = await startPrivatePostgres();
  }, 600_000);
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.stop();
    database?.destroy();
  });

  it("loses no acknowledged epoch and finishes the sweep", async () => {
    server = await startServerProcess({ DATABASE_URL: database.url, SWEEPBOARD_WORKERS: "0", SWEEPBOARD_WORKER_TOKEN: TOKEN, SWEEPBOARD_LEASE_MS: "20000" });
    for (const [i, trainer] of trainers.entries()) {
      const agent = startWorkerAgent({ serverUrl: server.url, token: TOKEN, name: `agent-${i}`, backend: "test", trainer, ackTimeoutMs: 2_000 });
      agents.push(agent);
      await agent.ready;
    }
    const document = tinySweep({ name: "pg-restart", max_trials: 4, concurrency: 2, subset: 600, epochs: 12 });
    const created = await server.fetch(`/api/sweeps`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(document) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const acknowledged = () => trainers.flatMap((t) => t.acknowledged);

    await waitFor(() => acknowledged().length >= 4, 60_000, "a few acknowledged epochs");
    database.stop();
    const duringOutage = acknowledged().length;
    await new Promise((r) => setTimeout(r, 2_000));
    // Nothing can be acknowledged while the database is down: the server acks only what it committed.
    expect(acknowledged().length).toBeLessThanOrEqual(duringOutage + 2);
    database.start();

    const detail = await waitFor(async () => {
      try {
        const d = await sweepState(httpReads((path) => server!.fetch(path)), id);
        return d.sweep?.status === "finished" && d;
      } catch {
        return false;
      }
    }, 120_000, "the sweep to finish after the restart");
    expect(detail.trials.map((t) => t.number).sort()).toEqual([0, 1, 2, 3]);
    expect(detail.trials.every((t) => t.state === "complete")).toBe(true);

    const sql = postgres(database.url, { max: 1 });
    const rows = await sql<{ trial_id: string; attempt: number; epoch: number }[]>`select trial_id, attempt, epoch from trial_epochs`;
    await sql.end();
    const stored = new Set(rows.map((r) => `${r.trial_id}:${r.attempt}:${r.epoch}`));
    expect(stored.size).toBe(rows.length);
    for (const key of acknowledged()) expect(stored.has(key), `acknowledged epoch ${key} is stored`).toBe(true);
    expect(server.output()).not.toMatch(/unhandled|uncaught/i);
  }, 300_000);
});
