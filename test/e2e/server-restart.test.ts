// kill -9 the server mid-sweep and start it again on the same data: the sweep resumes from the database and
// finishes; the trial that was running when it died runs again as its next attempt; acknowledged epochs stay,
// once each.
import { rmSync } from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import { httpReads, sweepState, trialEpochNumbers } from "../support/sweep-reads";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../support/databases";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { tinySweep } from "../support/sweeps";
import { waitFor } from "../support/test-server";

describe.each(DATABASE_KINDS)("a server crash on %s", (kind) => {
  let database: TestDatabase | null = null;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    await ensureDashboardBuilt(PROJECT_ROOT, console.log);
    if (kind === "postgres") {
      database = await createTestDatabase("postgres");
      await database.handle.close();
    }
  }, 600_000);
  afterAll(async () => {
    await server?.stop();
    await database?.dropDatabase();
  });

  it("resumes the sweep after a restart without losing or duplicating acknowledged epochs", async () => {
    const env = { SWEEPBOARD_WORKERS: "1", SWEEPBOARD_LEASE_MS: "1500", ...(database?.url ? { DATABASE_URL: database.url } : {}) };
    server = await startServerProcess(env);
    const reader = httpReads((path) => server!.fetch(path));
    const detailOf = (id: string) => sweepState(reader, id);
    const document = { ...tinySweep({ name: `restart-${kind}`, max_trials: 3, concurrency: 1, subset: 600 }) };
    document.parameters.epochs = { value: 3 };
    const response = await server.fetch(`/api/sweeps`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(document) });
    const { id } = (await response.json()) as { id: string };

    const before = await waitFor(async () => {
      const d = await detailOf(id);
      return d.trials.some((t) => t.state === "running" && t.epochs >= 1) && d;
    }, 120_000, "a running trial with an acknowledged epoch");
    const interrupted = before.trials.find((t) => t.state === "running")!;
    const acknowledged = (await trialEpochNumbers(reader, id, interrupted.id)).length;

    const { home } = server;
    await server.crash();
    server = await startServerProcess(env, { home });
    const after = await waitFor(async () => {
      const d = await detailOf(id);
      return d.sweep.status === "finished" && d;
    }, 180_000, "the sweep to finish after the restart");

    expect(after.trials.map((t) => t.number)).toEqual([0, 1, 2]);
    expect(after.trials.every((t) => t.state === "complete")).toBe(true);
    for (const t of after.trials) expect(await trialEpochNumbers(reader, id, t.id)).toEqual([1, 2, 3]);
    const rerun = after.trials.find((t) => t.id === interrupted.id)!;
    expect(rerun.attempt).toBe(1);
    if (database?.url) {
      // The first attempt's acknowledged epochs are still stored, once each, beside the second attempt's.
      const sql = postgres(database.url, { max: 1 });
      const rows = await sql`select attempt, epoch from trial_epochs where trial_id = ${interrupted.id} order by attempt, epoch`;
      await sql.end();
      const first = rows.filter((r) => r.attempt === 0).map((r) => r.epoch);
      expect(first.length).toBeGreaterThanOrEqual(acknowledged);
      expect(new Set(first).size).toBe(first.length);
      expect(rows.filter((r) => r.attempt === 1).map((r) => r.epoch)).toEqual([1, 2, 3]);
    }
    rmSync(home, { recursive: true, force: true });
  }, 400_000);
});
