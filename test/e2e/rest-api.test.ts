// The public REST contract, through the real server process (Next route handlers + services + PGlite).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { EXAMPLE_SWEEP } from "../support/sweeps";

describe("REST API", () => {
  let server: ServerProcess;
  const api = (path: string, init?: RequestInit) => server.fetch(path, init);
  const post = (path: string, body: string) => api(path, { method: "POST", headers: { "content-type": "application/json" }, body });

  beforeAll(async () => {
    await ensureDashboardBuilt(PROJECT_ROOT, console.log);
    // No local workers: sweeps stay queued/running without training, which is all these checks need.
    server = await startServerProcess({ SWEEPBOARD_WORKERS: "0" });
  }, 600_000);
  afterAll(() => server?.stop());

  it("reports health: liveness to anyone, details to api tokens", async () => {
    const response = await api("/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, db: "pglite", workers: 0, eventLoop: { p50Ms: expect.any(Number), p99Ms: expect.any(Number), maxMs: expect.any(Number) } });
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ ok: true });
  });

  it("serves pages with security headers, and only to signed-in users", async () => {
    const page = await fetch(`${server.url}/`, { redirect: "manual" });
    expect(page.status).toBe(302);
    const login = await fetch(`${server.url}/login`);
    expect(login.status).toBe(200);
    expect(login.headers.get("x-frame-options")).toBe("DENY");
    expect(login.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(login.headers.get("set-cookie")).toContain("sweepboard.csrf=");
  });

  it("lists connected workers (none here)", async () => {
    expect(await (await api("/api/workers")).json()).toEqual({ workers: [] });
  });

  it.each([
    ["an unknown optimizer", { parameters: { ...EXAMPLE_SWEEP.parameters, optimizer: { values: ["adam", "lion"] } } }, "parameters.optimizer.values"],
    ["min above max", { parameters: { ...EXAMPLE_SWEEP.parameters, units: { min: 256, max: 32 } } }, "parameters.units.min"],
    ["negative trials", { budget: { max_trials: -1, concurrency: 1 } }, "budget.max_trials"],
    ["a wrong type", { budget: { max_trials: "eight", concurrency: 1 } }, "budget.max_trials"],
    ["a missing dataset", { dataset: undefined }, "dataset"],
  ])("rejects %s with 400 and field errors, writing nothing", async (_label, change, path) => {
    const response = await post("/api/sweeps", JSON.stringify({ ...EXAMPLE_SWEEP, ...change }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors.map((e) => e.path)).toContain(path);
    expect(((await (await api("/api/sweeps")).json()) as { sweeps: unknown[] }).sweeps).toEqual([]);
  });

  it("rejects NaN and bodies that are not JSON", async () => {
    const nan = await post("/api/sweeps", JSON.stringify(EXAMPLE_SWEEP).replace('"min":0.0001', '"min":NaN'));
    expect(nan.status).toBe(400);
    expect(((await nan.json()) as { errors: { path: string }[] }).errors[0].path).toBe("");
    expect((await post("/api/sweeps", "{")).status).toBe(400);
  });

  it("creates, lists and reads a sweep", async () => {
    const created = await post("/api/sweeps", JSON.stringify(EXAMPLE_SWEEP));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const list = (await (await api("/api/sweeps")).json()) as { sweeps: { id: string; name: string }[] };
    expect(list.sweeps.map((s) => s.id)).toEqual([id]);
    const snapshot = await api(`/api/sweeps/${id}`, { headers: { "accept-encoding": "gzip" } });
    // Reads are compressed (Next's compression of route handlers; fetch inflates transparently).
    expect(snapshot.headers.get("content-encoding")).toBe("gzip");
    const detail = await snapshot.json();
    expect(detail.sweep).toMatchObject({ id, name: "fmnist-quick", metric: { name: "val_accuracy", goal: "maximize" } });
    expect(["queued", "running"]).toContain(detail.sweep.status);
    expect(detail.leaderboard).toMatchObject({ sort: "rank", order: "asc", offset: 0, limit: 100 });
    expect(typeof detail.cursor).toBe("string");
    expect(Array.isArray(detail.curves.series)).toBe(true);
    const page = await (await api(`/api/sweeps/${id}/trials?sort=param:units&order=desc&limit=5`)).json();
    expect(page).toMatchObject({ sort: "param:units", order: "desc", limit: 5 });
    expect((await api(`/api/sweeps/${id}/trials?limit=501`)).status).toBe(400);
    expect(((await (await api(`/api/sweeps/${id}/curves?points=9`)).json()) as { errors: { path: string }[] }).errors[0].path).toBe("points");
  });

  it("pauses, resumes and stops a sweep, answering 409 to moves its status forbids", async () => {
    const { id } = (await (await post("/api/sweeps", JSON.stringify({ ...EXAMPLE_SWEEP, name: "controlled" }))).json()) as { id: string };
    const pause = await post(`/api/sweeps/${id}/pause`, "");
    expect(pause.status).toBe(200);
    expect(((await pause.json()) as { sweep: { status: string } }).sweep.status).toBe("paused");
    expect((await post(`/api/sweeps/${id}/pause`, "")).status).toBe(409);
    expect((await post(`/api/sweeps/${id}/resume`, "")).status).toBe(200);
    expect((await post(`/api/sweeps/${id}/stop`, "")).status).toBe(200);
    expect(((await (await api(`/api/sweeps/${id}`)).json()) as { sweep: { status: string } }).sweep.status).toBe("stopped");
    expect((await post(`/api/sweeps/${id}/explode`, "")).status).toBe(404);
  });

  it("edits a sweep's budget live (PATCH), with field errors for bad edits and 409 once it has ended", async () => {
    const { id } = (await (await post("/api/sweeps", JSON.stringify({ ...EXAMPLE_SWEEP, name: "budget-edit" }))).json()) as { id: string };
    const patch = (body: string) => api(`/api/sweeps/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body });
    const edited = await patch(JSON.stringify({ budget: { concurrency: 2, max_trials: 7 } }));
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { sweep: { document: { budget: object } } }).sweep.document.budget).toMatchObject({ concurrency: 2, max_trials: 7 });
    const bad = await patch(JSON.stringify({ budget: { concurrency: -1 } }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["budget.concurrency"]);
    expect((await patch("{not json")).status).toBe(400);
    await post(`/api/sweeps/${id}/stop`, "");
    expect((await patch(JSON.stringify({ budget: { max_trials: 9 } }))).status).toBe(409);
    const unknown = "/api/sweeps/00000000-0000-4000-8000-000000000000";
    expect((await api(unknown, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ budget: { max_trials: 2 } }) })).status).toBe(404);
  });

  it("answers 404 for unknown or malformed ids", async () => {
    expect((await api("/api/sweeps/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await api("/api/sweeps/not-an-id")).status).toBe(404);
    expect((await post("/api/trials/not-an-id/promote", "")).status).toBe(404);
    expect((await api("/api/trials/not-an-id/evaluation")).status).toBe(404);
    expect((await api("/api/trials/00000000-0000-4000-8000-000000000000/evaluation")).status).toBe(404);
    expect((await api("/api/models/00000000-0000-4000-8000-000000000000/download")).status).toBe(404);
  });

  it("returns a sweep's changes since a cursor, and 400 for a bad cursor", async () => {
    const { id } = (await (await post("/api/sweeps", JSON.stringify({ ...EXAMPLE_SWEEP, name: "changes" }))).json()) as { id: string };
    const all = (await (await api(`/api/sweeps/${id}/changes`)).json()) as { cursor: string; sweep: { id: string } };
    expect(all).toMatchObject({ cursor: expect.stringMatching(/^\d+$/), sweep: { id }, epochs: [] });
    const next = await api(`/api/sweeps/${id}/changes?since=${all.cursor}`);
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ cursor: expect.stringMatching(/^\d+$/), epochs: [] });
    const bad = await api(`/api/sweeps/${id}/changes?since=last-tuesday`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["since"]);
    expect((await api("/api/sweeps/00000000-0000-4000-8000-000000000000/changes")).status).toBe(404);
  });
});
