// Runs `sweepboard start` as a child process, the way `npm start` does, on a free port with its own home.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../server/app-server";
import { CSRF_COOKIE, CSRF_HEADER } from "../../server/http/cookie-names";
import { signIn, TEST_PASSWORD } from "./auth";

export const ADMIN_EMAIL = "admin@sweepboard.test";
const TEST_SECRET = "sweepboard-test-secret-0123456789abcdef";

export interface ServerProcess {
  url: string;
  /** An api-scope token of this instance (made through the admin's session, as a user would in Settings). */
  apiToken: string;
  /** fetch on this server with the api token (and a JSON content type when there is a body). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  home: string;
  output: () => string;
  /** SIGKILL, as a crash: nothing is cleaned up and the home directory stays. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startServerProcess(
  env: Record<string, string> = {},
  /** withAdmin false: a first start as a newcomer meets it (no account yet, a setup link in the output, no api token). */
  options: { timeoutMs?: number; home?: string; port?: number; withAdmin?: boolean } = {},
): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const home = options.home ?? mkdtempSync(join(tmpdir(), "sweepboard-e2e-"));
  const port = options.port ?? (await freePort());
  let log = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "server/cli.ts"), "start"], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      SWEEPBOARD_HOME: home,
      NODE_ENV: "production",
      ...(options.withAdmin === false ? {} : { SWEEPBOARD_ADMIN_EMAIL: ADMIN_EMAIL, SWEEPBOARD_ADMIN_PASSWORD: TEST_PASSWORD }),
      // Shared by instances on one database, as the README asks, so a session is valid on each.
      SWEEPBOARD_SECRET: TEST_SECRET,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not answer /api/health within ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const apiToken = options.withAdmin === false ? "" : await createApiToken(url);
  return {
    url,
    apiToken,
    fetch: (path, init) => fetch(url + path, withToken(apiToken, init)),
    home,
    output: () => log,
    async crash() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Signs in as the admin and makes a token in Settings' way: POST /api/tokens with the session and CSRF token. */
async function createApiToken(url: string): Promise<string> {
  const csrf = "t".repeat(43);
  const cookie = `${await signIn(url, ADMIN_EMAIL)}; ${CSRF_COOKIE}=${csrf}`;
  const response = await fetch(`${url}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: url, [CSRF_HEADER]: csrf },
    body: JSON.stringify({ name: "e2e", scope: "api" }),
  });
  if (response.status !== 201) throw new Error(`could not create an api token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export function withToken(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers } };
}
