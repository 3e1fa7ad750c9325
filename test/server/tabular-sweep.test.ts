// A sweep of MLPs on a CSV table through the real stack on PGlite: the server checks the table it can see, the
// local worker finds the file under its SWEEPBOARD_DATA_DIR, trains, evaluates and reports; the sweep finishes with
// test metrics, and the promoted model reloads in a separate process using nothing but its metadata.
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { FEATURES, SPECIES, syntheticTable, tabularSweep, tempDataDir } from "../support/tabular";
import { startTestServer, waitFor, type TestServer } from "../support/test-server";
import { sweepState } from "../support/sweep-reads";

const run = promisify(execFile);
const data = tempDataDir();
const savedDataDir = process.env.SWEEPBOARD_DATA_DIR;

describe("a tabular sweep on pglite with a real worker", () => {
  let server: TestServer;

  beforeAll(async () => {
    data.write("species.csv", syntheticTable(60));
    // The server and its local workers (forked after this) read datasets from here.
    process.env.SWEEPBOARD_DATA_DIR = data.dir;
    server = await startTestServer("pglite", { workers: 1 });
  });
  afterAll(async () => {
    await server?.stop();
    if (savedDataDir === undefined) delete process.env.SWEEPBOARD_DATA_DIR;
    else process.env.SWEEPBOARD_DATA_DIR = savedDataDir;
    data.remove();
  });

  const finished = (id: string) =>
    waitFor(
      async () => {
        const detail = await sweepState(server.app.services, id);
        return ["finished", "failed"].includes(detail.sweep.status) && detail;
      },
      180_000,
      "the sweep to finish",
    );

  it("refuses, field by field, a table the server can read but no worker could train on", async () => {
    const sweep = tabularSweep();
    const created = await server.app.services.sweeps.create({ ...sweep, dataset: { ...sweep.dataset, label: "kind" } });
    expect(created).toEqual({ ok: false, errors: [{ path: "dataset.label", message: expect.stringContaining("no column `kind`") }] });
  });

  it("trains every trial on the CSV, finishes with test metrics, and promotes a model that reloads elsewhere", async () => {
    const { services } = server.app;
    const created = await services.sweeps.create(tabularSweep({ name: "species-lifecycle" }));
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const detail = await finished(created.id);
    expect(detail.sweep.status).toBe("finished");
    expect(detail.sweep.trialCounts.complete).toBe(2);
    for (const trial of detail.trials) {
      expect(trial.epochs).toBe(15);
      expect(trial.metrics.val_accuracy).toBeGreaterThan(0.8); // chance is 1/3
      expect(trial.metrics.test_accuracy).toBeGreaterThan(0.8);
      expect(Number.isFinite(trial.metrics.test_loss)).toBe(true);
      const evaluation = await services.trials.evaluation(trial.id);
      expect(evaluation.classNames).toEqual([...SPECIES]);
      expect(evaluation.test.confusion).toHaveLength(3);
      expect(evaluation.test.accuracy).toBe(trial.metrics.test_accuracy);
      expect(evaluation.featureSamples?.featureNames).toEqual([...FEATURES]);
      expect(evaluation.featureSamples?.rows.length).toBeGreaterThan(0);
    }

    const best = detail.trials.reduce((a, b) => ((b.value ?? 0) > (a.value ?? 0) ? b : a));
    const { modelId } = await services.models.promote(best.id);
    const { filename, stream } = await services.models.download(modelId);
    const zipPath = join(server.home, filename);
    await pipeline(stream, createWriteStream(zipPath));
    const { stdout } = await run(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "test/support/reload-model.ts"), zipPath], { cwd: PROJECT_ROOT });
    const reloaded = JSON.parse(stdout.trim().split("\n").pop()!) as { test_accuracy: number; rows: number; classNames: string[] };
    expect(reloaded.rows).toBe(18);
    expect(reloaded.classNames).toEqual([...SPECIES]);
    expect(Math.abs(reloaded.test_accuracy - best.metrics.test_accuracy)).toBeLessThanOrEqual(1 / reloaded.rows + 1e-9);
  }, 300_000);

  it("fails the trial, saying where the worker looked, when the file is not on the worker", async () => {
    const sweep = tabularSweep({ name: "species-missing", max_trials: 1 });
    const created = await server.app.services.sweeps.create({ ...sweep, dataset: { ...sweep.dataset, file: "elsewhere/species.csv" } });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const detail = await finished(created.id);
    expect(detail.trials[0].state).toBe("failed");
    expect(detail.trials[0].error).toContain(`dataset.file: \`elsewhere/species.csv\` not found (looked in: ${join(data.dir, "elsewhere/species.csv")})`);
  }, 300_000);
});
