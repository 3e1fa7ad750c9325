// Generated from the route table: every method of every app/api/**/route.ts and every custom-server route is called
// without credentials, with the wrong scope, cross-site with a valid cookie, and with a foreign Host; each gets the
// gate's refusal and nothing changes in the database. A new route is in this test the moment its file exists.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import { CSRF_COOKIE, CSRF_HEADER } from "../../server/http/cookie-names";
import { signIn } from "../support/auth";
import { allRoutes, type RouteEntry } from "../support/route-table";
import { ADMIN_EMAIL, startServerProcess, type ServerProcess } from "../support/server-process";

const routes = allRoutes();
const label = (r: RouteEntry) => `${r.method} ${r.template}`;
const writes = (r: RouteEntry) => !["GET", "HEAD", "OPTIONS"].includes(r.method);

describe("access to every route", () => {
  let server: ServerProcess;
  let cookie: string;
  let workerToken: string;
  const csrf = "k".repeat(43);

  beforeAll(async () => {
    await ensureDashboardBuilt(PROJECT_ROOT, console.log);
    server = await startServerProcess({ SWEEPBOARD_WORKERS: "0" });
    cookie = `${await signIn(server.url, ADMIN_EMAIL)}; ${CSRF_COOKIE}=${csrf}`;
    const made = await server.fetch("/api/tokens", { method: "POST", body: JSON.stringify({ name: "access-test", scope: "worker" }) });
    expect(made.status).toBe(403); // an api token cannot make tokens: only a signed-in user can
    const bySession = await fetch(`${server.url}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: server.url, [CSRF_HEADER]: csrf },
      body: JSON.stringify({ name: "access-test", scope: "worker" }),
    });
    workerToken = ((await bySession.json()) as { token: string }).token;
  }, 600_000);
  afterAll(() => server?.stop());

  const call = (route: RouteEntry, headers: Record<string, string>) =>
    fetch(server.url + route.path, {
      method: route.method,
      headers: { ...(writes(route) ? { "content-type": "application/json" } : {}), ...headers },
      body: writes(route) && route.method !== "PUT" ? "{}" : undefined,
      redirect: "manual",
    });

  /** What a write could change: every listing, read as the admin (a token's last use is bookkeeping, not a change). */
  async function snapshot(): Promise<string> {
    const read = async (path: string) => (await (await fetch(server.url + path, { headers: { cookie } })).text()).replace(/"lastUsedAt":("[^"]*"|null)/g, "");
    return JSON.stringify(await Promise.all(["/api/sweeps", "/api/models", "/api/tokens", "/api/users", "/api/workers"].map(read)));
  }

  it("knows the routes, and exactly these are public", () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.filter((r) => r.access === "public").map(label).sort()).toEqual(["GET /api/health", "POST /api/setup"]);
  });

  it.each(routes.map((r) => [label(r), r] as const))("%s: 401 without credentials, 403 with the wrong scope or cross-site, 421 for a foreign Host", async (_name, route) => {
    const before = await snapshot();
    if (route.access !== "public") expect((await call(route, {})).status, "no credentials").toBe(401);
    const wrong: Record<string, string>[] = [];
    if (route.access === "read" || route.access === "write") wrong.push({ authorization: `Bearer ${workerToken}` });
    if (route.access === "session") wrong.push({ authorization: `Bearer ${server.apiToken}` }, { authorization: `Bearer ${workerToken}` });
    if (route.access === "worker") wrong.push({ authorization: `Bearer ${server.apiToken}` }, { cookie });
    for (const headers of wrong) expect((await call(route, headers)).status, `wrong scope ${Object.keys(headers)}`).toBe(403);
    if (writes(route) && route.access !== "worker") {
      expect((await call(route, { cookie, [CSRF_HEADER]: csrf, origin: "http://attacker.example" })).status, "cross-site cookie write").toBe(403);
      expect((await call(route, { cookie, origin: server.url })).status, "cookie write without the CSRF token").toBe(403);
      expect((await call(route, { cookie, [CSRF_HEADER]: csrf, origin: server.url, "content-type": "text/plain" })).status, "not JSON").toBe(415);
    }
    expect(await foreignHost(server.url + route.path, route.method), "foreign Host").toBe(421);
    expect(await snapshot(), "nothing changed").toBe(before);
  });
});

function foreignHost(url: string, method: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { host: "attacker.example" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}
