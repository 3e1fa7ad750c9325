// Credentials for tests: an api token or a signed-in session on an in-process server, and raw sockets that use them.
import { io, type Socket } from "socket.io-client";
import type { RunningSweepboard } from "../../server/app-server";
import type { TokenScope } from "../../server/http/access";
import type { DashboardClientEvents, DashboardServerEvents } from "../../server/realtime/events";
import { WORKER_NAMESPACE, WORKER_SOCKET_PATH } from "../../server/realtime/events";

export const TEST_PASSWORD = "correct horse battery staple";

export async function createToken(app: RunningSweepboard, scope: TokenScope = "api", name = `test-${scope}`): Promise<string> {
  return (await app.services.auth.tokens.create({ name, scope }, null)).token;
}

/** Creates the account (unless it exists) and signs in over HTTP; returns the Cookie header a browser would send. */
export async function signIn(baseUrl: string, email: string, password = TEST_PASSWORD, app?: RunningSweepboard): Promise<string> {
  if (app && !(await app.services.auth.users.list()).some((u) => u.email === email)) {
    await app.services.auth.users.create({ email, name: email.split("@")[0], password });
  }
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** A browser-like dashboard socket authenticated with an api token. */
export function dashboardSocket(url: string, token: string): Socket<DashboardServerEvents, DashboardClientEvents> {
  return io(url, { transports: ["websocket"], extraHeaders: { authorization: `Bearer ${token}` } });
}

/** A raw worker socket (no agent logic), for protocol tests. */
export function rawWorkerSocket(url: string, token: string, hello: Record<string, unknown> = { name: "raw", backend: "test" }): Socket {
  return io(url + WORKER_NAMESPACE, { path: WORKER_SOCKET_PATH, extraHeaders: { authorization: `Bearer ${token}` }, auth: hello, transports: ["websocket"] });
}
