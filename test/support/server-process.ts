// Runs `sweepboard start` as a child process, the way `npm start` does, on a free port with its own home.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../server/app-server";

export interface ServerProcess {
  url: string;
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
  options: { timeoutMs?: number; home?: string; port?: number } = {},
): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const home = options.home ?? mkdtempSync(join(tmpdir(), "sweepboard-e2e-"));
  const port = options.port ?? (await freePort());
  let log = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "server/cli.ts"), "start"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", SWEEPBOARD_HOME: home, NODE_ENV: "production", ...env },
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
  return {
    url,
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
