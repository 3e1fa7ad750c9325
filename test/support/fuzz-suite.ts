// The fuzz suite, declared once for each database: one server process (Next included), seeded hostile HTTP requests
// across every route of the route table and hostile socket messages across every worker and dashboard event, sent
// at the same time. No answer may be a 5xx, no refused request or report may persist anything, no hopeless report
// may be answered "retry", and the server must be healthy afterwards. `npm run bench:fuzz` is the same, larger.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import type { DatabaseKind } from "../../server/db/client";
import { createTestDatabase, type TestDatabase } from "./databases";
import { runHttpFuzz, type HttpFuzzReport } from "./fuzz-runner";
import { runSocketFuzz, type SocketFuzzReport } from "./fuzz-socket-runner";
import { countPersisted, FUZZ_SERVER_ENV, persistenceProblems, prepareFuzzTargets, tableCounts, tableDeltaProblems, type FuzzTargets, type PersistedCounts } from "./fuzz-setup";
import { startServerProcess, type ServerProcess } from "./server-process";

export interface FuzzSuiteOptions {
  kind: DatabaseKind;
  seed: number;
  requests: number;
  messages: number;
}

/** Server log lines that mean something failed even where the client saw a refusal or a retry. */
const FAILURE_LINES = /\[api\]|worker report failed|unhandledRejection|uncaughtException|scheduler tick failed/;

export function defineFuzzSuite(o: FuzzSuiteOptions): void {
  describe(`fuzz on ${o.kind}: ${o.requests} hostile requests and ${o.messages} socket messages`, () => {
    let database: TestDatabase | undefined;
    let server: ServerProcess;
    let targets: FuzzTargets;
    let before: PersistedCounts;
    let after: PersistedCounts;
    let rows: { before: Record<string, number>; after: Record<string, number> } | undefined;
    let http: HttpFuzzReport;
    let sockets: SocketFuzzReport;

    beforeAll(async () => {
      await ensureDashboardBuilt(PROJECT_ROOT, console.log);
      if (o.kind === "postgres") {
        database = await createTestDatabase("postgres");
        // The server opens its own connections; this handle only made the database.
        await database.handle.close();
      }
      server = await startServerProcess({ ...FUZZ_SERVER_ENV, ...(database?.url ? { DATABASE_URL: database.url } : {}) });
      targets = await prepareFuzzTargets(server);
      before = await countPersisted(server, targets);
      const rowsBefore = database?.url ? await tableCounts(database.url) : undefined;
      [http, sockets] = await Promise.all([
        runHttpFuzz({ url: server.url, seed: o.seed, count: o.requests, ctx: targets.http, creds: targets.creds }),
        runSocketFuzz({ sockets: targets.sockets, seed: o.seed + 1, count: o.messages, ctx: targets.socket }),
      ]);
      after = await countPersisted(server, targets);
      if (rowsBefore && database?.url) rows = { before: rowsBefore, after: await tableCounts(database.url) };
      const { created, byTemplate, slowest, ...summary } = http;
      console.log(JSON.stringify({ http: summary, sockets: { ...sockets, refusals: undefined } }));
    }, 600_000);

    afterAll(async () => {
      targets?.sockets.close();
      await server?.stop();
      await database?.dropDatabase();
    });

    it("sent every request and message, to every socket event", () => {
      expect(http.requests).toBe(o.requests);
      expect(sockets.messages).toBe(o.messages);
      expect(Object.keys(sockets.byEvent).sort()).toEqual(["sweep:subscribe", "sweep:unsubscribe", "trial:complete", "trial:epoch", "trial:failed", "trial:heartbeat", "worker:idle"]);
    });

    it("answers no request with a 5xx, and every request gets an answer", () => {
      const offenders = http.firstServerErrors.map((e) => `${e.status} ← ${e.request}\n    ${e.answer}`).join("\n");
      expect(http.serverErrors, `${http.serverErrors} answers ≥ 500 (by template ${JSON.stringify(http.serverErrorsByTemplate)}); first:\n${offenders}`).toBe(0);
      const dropped = http.firstNetworkErrors.map((e) => `${e.answer} ← ${e.request}`).join("\n");
      expect(http.networkErrors, `requests without an answer:\n${dropped}`).toBe(0);
    });

    it("acknowledges every socket report with { ok } and refuses hopeless ones with a reason, never 'retry'", () => {
      const detail = sockets.firstViolations.join("\n");
      expect(sockets.malformedAcks, detail).toBe(0);
      expect(sockets.timeouts, detail).toBe(0);
      expect(sockets.acceptedHopeless, detail).toBe(0);
      expect(sockets.retryHopeless, detail).toBe(0);
      expect(targets.sockets.disconnects, "no socket was dropped").toEqual([]);
    });

    it("persisted nothing that was refused", () => {
      expect(persistenceProblems(before, after, http, sockets)).toEqual([]);
      if (rows) expect(tableDeltaProblems(rows.before, rows.after, http, sockets).problems).toEqual([]);
    });

    it("is healthy afterwards, with no failure in its log", async () => {
      const health = await server.fetch("/api/health");
      expect(health.status).toBe(200);
      expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
      expect((await server.fetch("/api/sweeps")).status).toBe(200);
      const lines = server.output().split("\n");
      expect(lines.flatMap((line, i) => (FAILURE_LINES.test(line) ? [lines.slice(i, i + 4).join("\n")] : []))).toEqual([]);
    });
  });
}
