// Who may speak the worker protocol, and as whom: tokens checked before a socket opens, server-assigned worker ids
// bound to the socket and token, revocation that drops sockets at once, and per-worker message caps.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Socket } from "socket.io-client";
import { startWorkerAgent, type WorkerAgent } from "../../../server/worker/agent";
import { createToken, dashboardSocket, rawWorkerSocket } from "../../support/auth";
import { scriptedTrainer } from "../../support/scripted-trainer";
import { tinySweep } from "../../support/sweeps";
import { startTestServer, waitFor, type TestServer } from "../../support/test-server";
import { sweepState } from "../../support/sweep-reads";

/** Resolves with "connected" or the connect_error message (the client stops retrying here). */
function outcome(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("connect_error", (error) => {
      socket.disconnect();
      resolve(`refused: ${error.message}`);
    });
  });
}

describe("worker and browser socket authentication", () => {
  let server: TestServer;
  const agents: WorkerAgent[] = [];
  const sockets: Socket[] = [];
  const track = <S extends Socket>(socket: S) => (sockets.push(socket), socket);

  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await Promise.all(agents.map((a) => a.stop()));
    await server.stop();
  });

  it("opens sockets only for the right credentials on the right server", async () => {
    const api = await createToken(server.app, "api");
    const worker = await createToken(server.app, "worker");
    const url = server.app.url;
    expect(await outcome(track(dashboardSocket(url, api)))).toBe("connected");
    expect(await outcome(track(dashboardSocket(url, worker)))).toMatch(/^refused/);
    expect(await outcome(track(dashboardSocket(url, "sbk_api_forged-token-value")))).toMatch(/^refused/);
    expect(await outcome(track(rawWorkerSocket(url, worker)))).toBe("connected");
    expect(await outcome(track(rawWorkerSocket(url, api)))).toMatch(/^refused/);
    expect(await outcome(track(rawWorkerSocket(url, "not-a-token-at-all")))).toMatch(/^refused/);
  });

  it("refuses browser sockets from other origins and Host names", async () => {
    const api = await createToken(server.app, "api");
    const handshake = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${server.app.url}/socket.io/?EIO=4&transport=polling`, { headers: { authorization: `Bearer ${api}`, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
    expect(await handshake({})).toBe(200);
    expect(await handshake({ origin: server.app.url })).toBe(200);
    expect(await handshake({ origin: "http://attacker.example" })).toBe(403);
    expect(await handshake({ host: "attacker.example" })).toBe(403);
  });

  it("assigns worker ids itself: a forged resume gets a new id and cannot report another worker's trial", async () => {
    const created = await server.app.services.sweeps.create(tinySweep({ name: "impersonation", max_trials: 1, epochs: 3 }));
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const honest = startWorkerAgent({ serverUrl: server.app.url, token: "test-token-123", name: "honest", backend: "test", trainer: scriptedTrainer({ epochs: 3, epochDelayMs: 300 }) });
    agents.push(honest);
    await honest.ready;
    const running = await waitFor(async () => (await sweepState(server.app.services, created.id)).trials.find((t) => t.state === "running"), 10_000, "a running trial");
    const victimId = honest.id!;
    expect(victimId).toMatch(/^[0-9a-f-]{36}$/);

    // Another token's holder knows the victim's id (GET /api/workers lists it) but not its ticket.
    const attacker = track(rawWorkerSocket(server.app.url, await createToken(server.app, "worker", "attacker"), { name: "attacker", backend: "test", resume: { workerId: victimId, ticket: "forged" } }));
    const welcome = new Promise<{ workerId: string }>((resolve) => attacker.once("worker:welcome", resolve));
    expect(await outcome(attacker)).toBe("connected");
    expect((await welcome).workerId).not.toBe(victimId);
    const forged = await attacker.emitWithAck("trial:failed", { trialId: running.id, attempt: 0, error: "forged" });
    expect(forged.ok).toBe(false);
    attacker.disconnect();
    await waitFor(() => !server.app.workers.list().some((w) => w.name === "attacker"), 5000, "the attacker to leave");
    expect(server.app.workers.get(victimId)?.name).toBe("honest");
    const detail = await waitFor(async () => {
      const d = await sweepState(server.app.services, created.id);
      return d.sweep.status === "finished" && d;
    }, 20_000, "the sweep to finish");
    expect(detail.trials[0]).toMatchObject({ state: "complete", workerName: "honest" });
  });

  it("drops a revoked token's workers at once and refuses them from then on", async () => {
    const token = await server.app.services.auth.tokens.create({ name: "gpu-box", scope: "worker" }, null);
    const logs: string[] = [];
    const agent = startWorkerAgent({ serverUrl: server.app.url, token: token.token, name: "gpu-box", backend: "test", trainer: scriptedTrainer(), log: (m) => logs.push(m) });
    agents.push(agent);
    await agent.ready;
    await waitFor(() => server.app.workers.list().some((w) => w.name === "gpu-box"), 5000, "the worker to register");
    await server.app.services.auth.tokens.revoke(token.summary.id);
    await waitFor(() => !server.app.workers.list().some((w) => w.name === "gpu-box"), 2000, "the revoked worker to be dropped");
    await waitFor(() => logs.some((m) => m.includes("invalid worker token")), 10_000, "the agent to give up");
    expect(server.app.workers.list().some((w) => w.name === "gpu-box")).toBe(false);
    expect((await server.app.services.auth.tokens.list()).some((t) => t.id === token.summary.id)).toBe(false);
  });

  it("caps each worker's heartbeats: a 10,000-message burst costs a bounded number of lease writes and the server stays responsive", async () => {
    const heartbeat = vi.spyOn(server.app.scheduler, "heartbeat");
    const flooder = track(rawWorkerSocket(server.app.url, "test-token-123", { name: "flooder", backend: "test" }));
    expect(await outcome(flooder)).toBe("connected");
    const disconnected = new Promise<void>((resolve) => flooder.once("disconnect", () => resolve()));
    let maxLagMs = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      maxLagMs = Math.max(maxLagMs, now - last - 5);
      last = now;
    }, 5);
    for (let i = 0; i < 10_000; i++) flooder.emit("trial:heartbeat", { trialId: "00000000-0000-4000-8000-000000000000" });
    await disconnected; // past FLOOD_DROPS the server hangs up
    clearInterval(probe);
    expect(heartbeat.mock.calls.length).toBeLessThanOrEqual(10);
    expect(maxLagMs).toBeLessThan(1000);
    heartbeat.mockRestore();
  });
});

describe("acknowledgements whatever the arguments", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(() => server.stop());

  it("answers a report sent with no payload, or with two, instead of leaving the sender waiting", async () => {
    const raw = rawWorkerSocket(server.app.url, "test-token-123");
    try {
      expect(await outcome(raw)).toBe("connected");
      const none = await raw.timeout(5000).emitWithAck("trial:complete");
      expect(none).toMatchObject({ ok: false, error: expect.stringContaining("invalid payload") });
      const two = await raw.timeout(5000).emitWithAck("trial:failed", { trialId: "x" }, { extra: true });
      expect(two).toMatchObject({ ok: false });
      const browser = dashboardSocket(server.app.url, await createToken(server.app));
      try {
        expect(await outcome(browser)).toBe("connected");
        expect(await browser.timeout(5000).emitWithAck("sweep:subscribe" as "sweep:subscribe", ...([] as unknown as [{ sweepId: string }]))).toMatchObject({ ok: false });
      } finally {
        browser.disconnect();
      }
    } finally {
      raw.disconnect();
    }
  });
});
