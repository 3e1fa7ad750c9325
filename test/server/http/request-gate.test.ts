// The request gate on a real server (PGlite; no Next: a request that passes the gate gets the 404 of the empty
// dashboard slot, one that fails gets the gate's answer).
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_COOKIE, CSRF_HEADER } from "../../../server/http/cookie-names";
import { createToken, signIn, TEST_PASSWORD } from "../../support/auth";
import { startTestServer, type TestServer } from "../../support/test-server";

describe("request gate", () => {
  let server: TestServer;
  let url: string;
  let apiToken: string;
  let workerToken: string;
  let cookie: string;
  const csrf = "c".repeat(43);

  beforeAll(async () => {
    server = await startTestServer("pglite");
    url = server.app.url;
    apiToken = await createToken(server.app, "api");
    workerToken = await createToken(server.app, "worker");
    cookie = `${await signIn(url, "gate@sweepboard.test", undefined, server.app)}; ${CSRF_COOKIE}=${csrf}`;
  });
  afterAll(() => server.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(url + path, { headers, redirect: "manual" });
  const post = (path: string, headers: Record<string, string>, body = "{}") =>
    fetch(url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, redirect: "manual" });
  const session = () => ({ cookie, [CSRF_HEADER]: csrf });

  it("sends security headers on every answer, refusals included", async () => {
    for (const response of [await get("/api/sweeps"), await get("/api/health"), await get("/")]) {
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("asks who you are: 401 without credentials, pages redirect to the sign-in page", async () => {
    expect((await get("/api/sweeps")).status).toBe(401);
    expect((await post("/api/sweeps", {})).status).toBe(401);
    const page = await get("/sweeps/new");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/login?next=%2Fsweeps%2Fnew");
    expect((await get("/login")).status).toBe(404); // public: passes the gate (no Next in this test)
    expect((await get("/api/health")).status).toBe(404);
  });

  it("lets tokens and sessions in by scope", async () => {
    expect((await get("/api/sweeps", { authorization: `Bearer ${apiToken}` })).status).toBe(404);
    expect((await get("/api/sweeps", { cookie })).status).toBe(404);
    expect((await get("/api/sweeps", { authorization: `Bearer ${workerToken}` })).status).toBe(403);
    expect((await get("/api/tokens", { authorization: `Bearer ${apiToken}` })).status).toBe(403);
    expect((await get("/api/worker/whoami", { authorization: `Bearer ${apiToken}` })).status).toBe(403);
    expect((await get("/api/worker/whoami", { authorization: `Bearer ${workerToken}` })).status).toBe(200);
    expect((await get("/api/sweeps", { authorization: "Bearer sbk_api_not-a-real-token" })).status).toBe(401);
  });

  it("refuses foreign Host names (DNS rebinding) with 421", async () => {
    // fetch will not send a Host of our choosing; a raw request does, as a rebinding browser would.
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(url + "/api/sweeps", { headers: { host: "attacker.example:80", authorization: `Bearer ${apiToken}` } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.end();
    });
    expect(status).toBe(421);
  });

  it("refuses cross-site and token-less cookie writes", async () => {
    expect((await post("/api/sweeps", { ...session(), origin: url })).status).toBe(404);
    expect((await post("/api/sweeps", { ...session(), origin: "http://attacker.example" })).status).toBe(403);
    expect((await post("/api/sweeps", { cookie, origin: url })).status).toBe(403); // no CSRF header
    expect((await post("/api/sweeps", { ...session(), origin: url, [CSRF_HEADER]: "x".repeat(43) })).status).toBe(403);
    const noOrigin = { cookie, [CSRF_HEADER]: csrf };
    expect((await post("/api/sweeps", noOrigin)).status).toBe(403);
    expect((await post("/api/sweeps", { ...session(), origin: url, "sec-fetch-site": "cross-site" })).status).toBe(403);
    // A bearer token is never sent by a browser on its own: no CSRF check for it.
    expect((await post("/api/sweeps", { authorization: `Bearer ${apiToken}` })).status).toBe(404);
  });

  it("accepts only JSON bodies, of bounded size, with a length", async () => {
    const auth = { authorization: `Bearer ${apiToken}` };
    const text = await fetch(url + "/api/sweeps", { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: "{}" });
    expect(text.status).toBe(415);
    const none = await fetch(url + "/api/sweeps/00000000-0000-4000-8000-000000000000/stop", { method: "POST", headers: auth });
    expect(none.status).toBe(415);
    expect((await post("/api/sweeps", auth, JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }))).status).toBe(413);
  });

  it("answers malformed URLs with 400, before any route", async () => {
    for (const path of ["/api/sweeps/%E0%A4%A/pause", "/api/trials/%ff/evaluation", "/api/sweeps/%00", "/api/sweeps/%ED%A0%80", "/api/sweeps?x=%zz", "/api/sweeps%2f..%2ftokens"]) {
      const response = await get(path, { authorization: `Bearer ${apiToken}` });
      expect(response.status, path).toBe(400);
    }
  });

  it("signs in with httpOnly, SameSite=Lax session cookies stored in the database", async () => {
    const response = await fetch(`${url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url },
      body: JSON.stringify({ email: "gate@sweepboard.test", password: TEST_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const [session] = response.headers.getSetCookie().filter((c) => c.startsWith("sweepboard.session_token="));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/); // plain http here; https (SWEEPBOARD_PUBLIC_URL) makes it Secure
    const cookieHeader = session.split(";")[0];
    expect((await get("/api/sweeps", { cookie: cookieHeader })).status).toBe(404);
    // Signing out ends the session on the server, not just in the browser.
    const out = await post("/api/auth/sign-out", { cookie: `${cookieHeader}; ${CSRF_COOKIE}=${csrf}`, [CSRF_HEADER]: csrf, origin: url });
    expect(out.status).toBe(200);
    expect((await get("/api/sweeps", { cookie: cookieHeader })).status).toBe(401);
  });

  it("rate-limits sign-in attempts per address", async () => {
    const attempt = () =>
      fetch(`${url}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: url }, body: JSON.stringify({ email: "gate@sweepboard.test", password: "wrong password" }) });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attempt()).status);
    // Five per minute per address, the two sign-ins above included.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

});
