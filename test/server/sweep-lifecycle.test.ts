// A whole sweep on the real stack: database, scheduler, Socket.IO, local worker agents and TF.js training in
// child processes; then promotion and a download that reloads with plain tfjs in a separate process.
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { DATABASE_KINDS } from "../support/databases";
import { tinySweep } from "../support/sweeps";
import { startTestServer, waitFor, type TestServer } from "../support/test-server";
import { sweepState } from "../support/sweep-reads";

const run = promisify(execFile);

describe.each(DATABASE_KINDS)("a sweep on %s with real workers", (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, { workers: 1 });
  });
  afterAll(() => server?.stop());

  it("trains every trial, finishes the sweep, and promotes a model that reloads elsewhere", async () => {
    const { services } = server.app;
    const created = await services.sweeps.create(tinySweep({ name: `lifecycle-${kind}`, max_trials: 2, concurrency: 1, subset: 1200 }));
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const detail = await waitFor(
      async () => {
        const d = await sweepState(services, created.id);
        return ["finished", "failed"].includes(d.sweep.status) && d;
      },
      180_000,
      "the sweep to finish",
    );
    expect(detail.sweep.status).toBe("finished");
    // The local worker advertises the backend its trainer process actually trains on.
    expect(server.app.services.workers.list()).toEqual([
      expect.objectContaining({
        // native kernels build wherever g++ is (CI installs it); elsewhere the worker says plain wasm
        backend: process.env.CI === "true" ? "wasm+native" : expect.stringMatching(/^wasm(\+native)?$/),
        device: expect.stringMatching(/cores\)$/),
        memoryBytes: expect.any(Number),
        cores: expect.any(Number),
        busyWith: null,
        name: expect.stringContaining("-local-1"),
      }),
    ]);
    expect(detail.sweep.trialCounts.complete).toBe(2);
    for (const trial of detail.trials) {
      expect(trial.metrics.val_accuracy).toBeGreaterThan(0.5);
      expect(trial.metrics.test_accuracy).toBeGreaterThan(0.5);
      expect(trial.value).toBe(trial.metrics.val_accuracy);
    }

    const best = detail.trials.reduce((a, b) => ((b.value ?? 0) > (a.value ?? 0) ? b : a));
    const { modelId } = await services.models.promote(best.id);
    expect((await services.models.promote(best.id)).modelId).toBe(modelId);
    const listed = await services.models.list();
    expect(listed.find((m) => m.id === modelId)).toMatchObject({ name: `lifecycle-${kind}`, version: 1, trialId: best.id });

    const { filename, stream } = await services.models.download(modelId);
    expect(filename).toBe(`lifecycle-${kind}-v1.zip`);
    const zipPath = join(server.home, filename);
    await pipeline(stream, createWriteStream(zipPath));
    const { stdout } = await run(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "test/support/reload-model.ts"), zipPath], { cwd: PROJECT_ROOT });
    const reloaded = JSON.parse(stdout.trim().split("\n").pop()!) as { test_accuracy: number; images: number; classNames: string[] };
    expect(reloaded.images).toBe(200);
    expect(reloaded.classNames).toContain("Ankle boot");
    expect(Math.abs(reloaded.test_accuracy - best.metrics.test_accuracy)).toBeLessThanOrEqual(1 / reloaded.images + 1e-9);
  }, 300_000);

  it("refuses to promote a trial that is not complete, or one that does not exist", async () => {
    await expect(server.app.services.models.promote("00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "not_found" });
    await expect(server.app.services.models.promote("nope")).rejects.toMatchObject({ code: "not_found" });
  });
});
