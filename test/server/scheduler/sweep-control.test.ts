// Pause, resume and stop, on the real scheduler with worker agents over Socket.IO.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerAgent, type WorkerAgent } from "../../../server/worker/agent";
import { DATABASE_KINDS } from "../../support/databases";
import { scriptedTrainer } from "../../support/scripted-trainer";
import { tinySweep } from "../../support/sweeps";
import { startTestServer, waitFor, type TestServer } from "../../support/test-server";
import { sweepState } from "../../support/sweep-reads";

/** Epochs each scripted trial reports, and so the sweeps' epoch count (later epochs would be refused). */
const EPOCHS = 3;

describe.each(DATABASE_KINDS)("sweep controls on %s", (kind) => {
  let server: TestServer;
  let agent: WorkerAgent;
  let trainer: ReturnType<typeof scriptedTrainer>;

  beforeAll(async () => {
    server = await startTestServer(kind);
    trainer = scriptedTrainer({ epochs: EPOCHS, epochDelayMs: 100 });
    agent = startWorkerAgent({ serverUrl: server.app.url, token: "test-token-123", name: "w", backend: "test", trainer });
    await agent.ready;
  });
  afterAll(async () => {
    await agent.stop();
    await server.stop();
  });

  const services = () => server.app.services;
  const detail = (id: string) => sweepState(services(), id);

  it("pauses (running trials finish, no new one starts), resumes, and refuses moves its status forbids", async () => {
    const created = await services().sweeps.create(tinySweep({ max_trials: 3, concurrency: 1, epochs: EPOCHS }));
    if (!created.ok) throw new Error("bad fixture");
    await waitFor(async () => (await detail(created.id)).trials[0]?.state === "running", 10_000, "a running trial");
    expect((await services().sweeps.control(created.id, "pause")).status).toBe("paused");
    await waitFor(async () => (await detail(created.id)).trials[0].state === "complete", 10_000, "the running trial to finish");
    await new Promise((r) => setTimeout(r, 500));
    const paused = await detail(created.id);
    expect(paused.sweep.status).toBe("paused");
    expect(paused.trials.filter((t) => t.state === "running")).toHaveLength(0);
    await expect(services().sweeps.control(created.id, "pause")).rejects.toMatchObject({ code: "conflict" });

    expect((await services().sweeps.control(created.id, "resume")).status).toBe("running");
    const done = await waitFor(async () => {
      const d = await detail(created.id);
      return d.sweep.status === "finished" && d;
    }, 20_000, "the sweep to finish");
    expect(done.trials.map((t) => t.state)).toEqual(["complete", "complete", "complete"]);
    await expect(services().sweeps.control(created.id, "resume")).rejects.toMatchObject({ code: "conflict" });
  });

  it("stops: trials still waiting or running end as stopped with the reason, and the worker stops", async () => {
    const created = await services().sweeps.create(tinySweep({ max_trials: 4, concurrency: 2, epochs: EPOCHS }));
    if (!created.ok) throw new Error("bad fixture");
    await waitFor(async () => (await detail(created.id)).trials.some((t) => t.state === "running" && t.epochs >= 1), 10_000, "a running trial's epoch");
    expect((await services().sweeps.control(created.id, "stop")).status).toBe("stopped");
    const stopped = await detail(created.id);
    expect(stopped.trials.every((t) => t.state === "complete" || (t.state === "stopped" && t.stopReason === "sweep stopped" && t.error === null))).toBe(true);
    // The trial stopped mid-run keeps its epochs, and the model its worker sent after the stop: it can be promoted.
    const cut = stopped.trials.find((t) => t.state === "stopped" && t.epochs >= 1);
    expect(cut).toBeDefined();
    await waitFor(() => services().models.promote(cut!.id).catch(() => null), 10_000, "the stopped trial's model");
    // The worker is free again and no further trial of this sweep starts.
    await new Promise((r) => setTimeout(r, 600));
    expect((await detail(created.id)).trials.length).toBe(stopped.trials.length);
    const next = await services().sweeps.create(tinySweep({ max_trials: 1, concurrency: 1, epochs: EPOCHS }));
    if (!next.ok) throw new Error("bad fixture");
    await waitFor(async () => (await detail(next.id)).sweep.status === "finished", 10_000, "the next sweep to run on the freed worker");
  });

  it("stops starting trials once the target is reached, and finishes", async () => {
    // The scripted trainer's trials reach val_accuracy 0.8 at their last epoch.
    const created = await services().sweeps.create({ ...tinySweep({ max_trials: 10, concurrency: 1, epochs: EPOCHS }), budget: { max_trials: 10, concurrency: 1, target_value: 0.75 } });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const done = await waitFor(async () => {
      const d = await detail(created.id);
      return d.sweep.status === "finished" && d;
    }, 20_000, "the sweep to finish at its target");
    expect(done.trials).toHaveLength(1);
  });

  it("edits the budget live: more concurrency starts trials now, a lower cap ends the sweep early", async () => {
    const created = await services().sweeps.create(tinySweep({ max_trials: 6, concurrency: 1, epochs: EPOCHS }));
    if (!created.ok) throw new Error("bad fixture");
    await waitFor(async () => (await detail(created.id)).trials[0]?.state === "running", 10_000, "a running trial");
    const raised = await services().sweeps.editBudget(created.id, { budget: { concurrency: 3, max_minutes: 60 } });
    expect(raised.document.budget).toMatchObject({ concurrency: 3, max_trials: 6, max_minutes: 60 });
    // The one worker trains them one by one, but the scheduler queues up to the new concurrency at once.
    await waitFor(async () => (await detail(created.id)).trials.length >= 3, 10_000, "two more trials queued");
    const capped = await services().sweeps.editBudget(created.id, { budget: { max_trials: 3, max_minutes: null } });
    expect(capped.document.budget).toEqual({ concurrency: 3, max_trials: 3 });
    const done = await waitFor(async () => {
      const d = await detail(created.id);
      return d.sweep.status === "finished" && d;
    }, 30_000, "the sweep to finish at its lowered cap");
    expect(done.trials).toHaveLength(3);
    await expect(services().sweeps.editBudget(created.id, { budget: { max_trials: 5 } })).rejects.toMatchObject({ code: "conflict" });
  });

  it("refuses bad budget edits with field errors", async () => {
    const created = await services().sweeps.create(tinySweep({ max_trials: 2, concurrency: 1, epochs: EPOCHS }));
    if (!created.ok) throw new Error("bad fixture");
    const fieldsOf = async (input: unknown) => {
      const error = await services().sweeps.editBudget(created.id, input).then(() => null, (e: { code: string; details?: { path: string }[] }) => e);
      expect(error?.code).toBe("invalid");
      return error!.details!.map((d) => d.path);
    };
    expect(await fieldsOf({ budget: { concurrency: 0 } })).toEqual(["budget.concurrency"]);
    expect(await fieldsOf({ budget: { max_trials: 2.5 } })).toEqual(["budget.max_trials"]);
    expect(await fieldsOf({ budget: { max_trials: null } })).toEqual(["budget.max_trials"]);
    expect(await fieldsOf({ budget: { epochs: 3 } })).toEqual(["budget"]);
    expect(await fieldsOf({ budget: {} })).toEqual(["budget"]);
    expect(await fieldsOf({ name: "renamed" })).toEqual(["budget", ""]);
    await expect(services().sweeps.editBudget("00000000-0000-4000-8000-000000000000", { budget: { max_trials: 3 } })).rejects.toMatchObject({ code: "not_found" });
  });

  it("answers unknown sweeps and actions with not_found", async () => {
    await expect(services().sweeps.control("00000000-0000-4000-8000-000000000000", "pause")).rejects.toMatchObject({ code: "not_found" });
    const created = await services().sweeps.create(tinySweep({ max_trials: 1, epochs: EPOCHS }));
    if (!created.ok) throw new Error("bad fixture");
    await expect(services().sweeps.control(created.id, "explode")).rejects.toMatchObject({ code: "not_found" });
  });
});
