// `sweepboard worker` as a real process (what a remote GPU box runs), killed with SIGKILL mid-trial: the trial is
// re-queued once its lease lapses and finishes on another worker process, with no duplicate trial.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { tinySweep } from "../support/sweeps";
import { startTestServer, waitFor, type TestServer } from "../support/test-server";
import { sweepState, trialEpochNumbers } from "../support/sweep-reads";

describe("a worker process killed mid-trial", () => {
  let server: TestServer;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer("pglite", { leaseMs: 1500 });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    await server.stop();
  });

  function startWorker(name: string): ChildProcess {
    const args = ["--import", "tsx", join(PROJECT_ROOT, "server/cli.ts"), "worker", "--server", server.app.url, "--token", server.app.workerToken, "--name", name];
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: "ignore" });
    workers.push(child);
    return child;
  }

  it("has its trial re-queued and finished by another worker", async () => {
    const { services } = server.app;
    const document = tinySweep({ name: "worker-crash", max_trials: 2, concurrency: 1, subset: 600 });
    document.parameters.epochs = { value: 3 };
    const created = await services.sweeps.create(document);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const doomed = startWorker("doomed");
    const first = await waitFor(async () => (await sweepState(services, created.id)).trials.find((t) => t.state === "running" && t.epochs >= 1), 120_000, "an epoch from the doomed worker");
    doomed.kill("SIGKILL");
    const lostAt = Date.now();
    await waitFor(async () => (await sweepState(services, created.id)).trials[0].state === "waiting", 10_000, "the trial to be re-queued");
    // Re-queued within about twice the heartbeat (half the 1.5 s lease), plus the reaper's interval.
    expect(Date.now() - lostAt).toBeLessThan(4000);

    startWorker("survivor");
    const detail = await waitFor(async () => {
      const d = await sweepState(services, created.id);
      return d.sweep.status === "finished" && d;
    }, 120_000, "the sweep to finish on the survivor");
    expect(detail.trials.map((t) => [t.number, t.state, t.workerName])).toEqual([
      [0, "complete", "survivor"],
      [1, "complete", "survivor"],
    ]);
    expect(detail.trials[0].id).toBe(first.id);
    expect(detail.trials[0].attempt).toBe(1);
    expect(await trialEpochNumbers(services, created.id, detail.trials[0].id)).toEqual([1, 2, 3]);
  }, 300_000);
});
