// The first account: a one-time setup link printed at start, or SWEEPBOARD_ADMIN_PASSWORD; and read-only public access.
import { afterEach, describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "../../support/auth";
import { startTestServer, type TestServer } from "../../support/test-server";

describe("first account", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("prints a one-time setup link that creates the first account, then never works again", async () => {
    const logs: string[] = [];
    server = await startTestServer("pglite", { log: (m) => logs.push(m) });
    const line = logs.find((m) => m.includes("/setup?token="));
    expect(line).toBeDefined();
    const token = /setup\?token=([\w-]+)/.exec(line!)![1];
    const auth = server.app.services.auth;
    expect(auth.setupOpen()).toBe(true);
    await expect(auth.setup({ token: "wrong", email: "a@b.example", name: "A", password: TEST_PASSWORD })).rejects.toMatchObject({ code: "unauthorized" });
    await expect(auth.setup({ token, email: "not-an-email", name: "A", password: TEST_PASSWORD })).rejects.toMatchObject({ code: "invalid" });
    await expect(auth.setup({ token, email: "a@b.example", name: "A", password: "short" })).rejects.toMatchObject({ code: "invalid" });
    expect(await auth.setup({ token, email: "Owner@Example.com", name: "Owner", password: TEST_PASSWORD })).toEqual({ email: "owner@example.com" });
    expect(auth.setupOpen()).toBe(false);
    await expect(auth.setup({ token, email: "second@example.com", name: "B", password: TEST_PASSWORD })).rejects.toMatchObject({ code: "unauthorized" });
    expect((await auth.users.list()).map((u) => u.email)).toEqual(["owner@example.com"]);
    // The password is stored as an argon2id hash, never as given.
    expect(logs.join("\n")).not.toContain(TEST_PASSWORD);
  });

  it("creates the admin from SWEEPBOARD_ADMIN_PASSWORD without printing a link or the password", async () => {
    const logs: string[] = [];
    server = await startTestServer("pglite", { admin: { email: "admin@sweepboard.local", password: TEST_PASSWORD }, log: (m) => logs.push(m) });
    expect(server.app.services.auth.setupOpen()).toBe(false);
    expect((await server.app.services.auth.users.list()).map((u) => u.email)).toEqual(["admin@sweepboard.local"]);
    expect(logs.some((m) => m.includes("/setup?token="))).toBe(false);
    expect(logs.join("\n")).not.toContain(TEST_PASSWORD);
    await expect(server.app.services.auth.users.create({ email: "admin@sweepboard.local", name: "again", password: TEST_PASSWORD })).rejects.toMatchObject({ code: "conflict" });
  });

  it("with public read, reads need no sign-in but writes still do", async () => {
    server = await startTestServer("pglite", { publicRead: true });
    const url = server.app.url;
    expect((await fetch(`${url}/api/sweeps`)).status).toBe(404); // passes the gate (no Next here)
    expect((await fetch(`${url}/api/tokens`)).status).toBe(401);
    expect((await fetch(`${url}/api/sweeps`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(401);
  });
});
