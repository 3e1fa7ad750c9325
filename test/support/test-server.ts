// Starts a real Sweepboard (database, sockets, scheduler) on a free port for integration tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSweepboard, type RunningSweepboard } from "../../server/app-server";
import type { DatabaseKind } from "../../server/db/client";
import { createTestDatabase } from "./databases";

export interface TestServer {
  app: RunningSweepboard;
  home: string;
  stop(): Promise<void>;
}

export async function startTestServer(
  kind: DatabaseKind,
  options: { workers?: number; leaseMs?: number; maxAttempts?: number; publicRead?: boolean; admin?: { email: string; password: string }; log?: (m: string) => void } = {},
): Promise<TestServer> {
  const home = mkdtempSync(join(tmpdir(), "sweepboard-test-"));
  // PGlite lives under home; for PostgreSQL a throwaway database is created, and the server migrates it.
  const postgres = kind === "postgres" ? await createTestDatabase("postgres") : null;
  if (postgres) await postgres.handle.close();
  const app = await startSweepboard(
    {
      port: 0,
      host: "127.0.0.1",
      home,
      databaseUrl: postgres?.url,
      workers: options.workers ?? 0,
      workerToken: "test-token-123",
      leaseMs: options.leaseMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 3,
      publicRead: options.publicRead,
      admin: options.admin,
      dashboard: false,
      dev: false,
    },
    options.log ?? (() => {}),
  );
  return {
    app,
    home,
    async stop() {
      await app.close();
      if (postgres) await postgres.dropDatabase();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls a condition (for test assertions only; the product pushes, it never polls). */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 30_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
