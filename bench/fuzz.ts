// The fuzz suite at benchmark size: the same seeded generator as test/e2e/fuzz.test.ts, against the real server
// (`sweepboard start` in its own process, Next included) on PGlite and/or a throwaway PostgreSQL database (then also
// with a row count of every table before and after). Prints JSON per database kind: requests, the status histogram,
// answers ≥ 500 (with the first offending requests), requests/s, the server's RSS before, during and after, the
// socket messages and their outcomes, and whether anything refused persisted. Exit status 1 when any bar fails.
// Usage: npm run bench:fuzz -- [--count 20000] [--seed 1] [--socket-messages 5000] [--concurrency 6]
//        [--kinds pglite | pglite,postgres] [--out FILE]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { PROJECT_ROOT } from "../server/app-server";
import { ensureDashboardBuilt } from "../server/dashboard-build";
import type { DatabaseKind } from "../server/db/client";
import { createTestDatabase, type TestDatabase } from "../test/support/databases";
import { runHttpFuzz } from "../test/support/fuzz-runner";
import { runSocketFuzz } from "../test/support/fuzz-socket-runner";
import { countPersisted, FUZZ_SERVER_ENV, persistenceProblems, prepareFuzzTargets, tableCounts, tableDeltaProblems } from "../test/support/fuzz-setup";
import { startServerProcess } from "../test/support/server-process";
import { option } from "./shared/cli-options";
import { perDatabaseKind } from "./shared/database-kinds";

const count = Number(option("count", "20000"));
const seed = Number(option("seed", "1"));
const socketMessages = Number(option("socket-messages", String(Math.round(count / 4))));
const concurrency = Number(option("concurrency", "6"));
const out = option("out", "");
const kinds = option("kinds", "pglite").split(",") as DatabaseKind[];

/** The server is a child of this process running server/cli.ts (startServerProcess does not expose its pid). */
function serverPid(): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("server/cli.ts")) return Number(entry);
    } catch {
      // exited meanwhile
    }
  }
  throw new Error("server process not found");
}

/** NaN once the process is gone. */
function rssMb(pid: number): number {
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 102.4) / 10;
  } catch {
    return NaN;
  }
}

async function fuzzOn(kind: DatabaseKind): Promise<{ pass: boolean }> {
  let database: TestDatabase | null = null;
  if (kind === "postgres") {
    database = await createTestDatabase("postgres");
    // The server opens its own connections; this handle only created the database.
    await database.handle.close();
  }
  const server = await startServerProcess({ ...FUZZ_SERVER_ENV, ...(database?.url ? { DATABASE_URL: database.url } : {}) });
  let sampler: NodeJS.Timeout | undefined;
  try {
    const pid = serverPid();
    const targets = await prepareFuzzTargets(server);
    const before = await countPersisted(server, targets);
    const rowsBefore = database?.url ? await tableCounts(database.url) : null;
    const rss = { before_mb: rssMb(pid), peak_mb: rssMb(pid), after_mb: 0, every_2000_requests: [] as number[] };
    let exitedAt: number | null = null;
    sampler = setInterval(() => {
      const mb = rssMb(pid);
      if (Number.isNaN(mb)) exitedAt ??= Date.now();
      else rss.peak_mb = Math.max(rss.peak_mb, mb);
    }, 500);
    console.error(`${kind}: ${count} requests, ${socketMessages} socket messages, seed ${seed}…`);
    const [http, sockets] = await Promise.all([
      runHttpFuzz({
        url: server.url,
        seed,
        count,
        ctx: targets.http,
        creds: targets.creds,
        concurrency,
        keepOffenders: 10,
        onOutcome: (i) => {
          if (i === 0 || i % 2000 !== 0) return;
          // Growth that keeps going (rather than levelling off) would be a leak.
          rss.every_2000_requests.push(rssMb(pid));
          console.error(`  ${i} requests, server RSS ${rss.every_2000_requests.at(-1)} MB`);
        },
      }),
      runSocketFuzz({ sockets: targets.sockets, seed: seed + 1, count: socketMessages, ctx: targets.socket }),
    ]);
    clearInterval(sampler);
    rss.after_mb = rssMb(pid);
    if (exitedAt !== null) {
      // The server died under the fuzz: its last words are the finding.
      console.error(`the server exited during the fuzz; its output ends:\n${server.output().slice(-6000)}`);
      throw new Error("the server exited during the fuzz");
    }
    const after = await countPersisted(server, targets);
    const rowsAfter = database?.url ? await tableCounts(database.url) : null;
    const health = await server.fetch("/api/health");
    const disconnects = [...targets.sockets.disconnects];
    targets.sockets.close();
    const problems = persistenceProblems(before, after, http, sockets);
    const tables = rowsBefore && rowsAfter ? tableDeltaProblems(rowsBefore, rowsAfter, http, sockets) : null;
    problems.push(...(tables?.problems ?? []));
    const report = {
      http: {
        requests: http.requests,
        status_histogram: Object.fromEntries(Object.entries(http.histogram).sort()),
        responses_5xx: http.serverErrors,
        responses_5xx_by_template: http.serverErrorsByTemplate,
        first_5xx: http.firstServerErrors,
        network_errors: http.networkErrors,
        first_network_errors: http.firstNetworkErrors,
        requests_per_s: http.requestsPerSecond,
        seconds: http.elapsedMs / 1000,
        concurrency,
        mean_ms_by_template: Object.fromEntries(Object.entries(http.byTemplate).sort((a, b) => b[1].mean_ms - a[1].mean_ms)),
        slowest: http.slowest,
        accepted_writes: { sweeps: http.created.sweeps, models: http.created.models.size, tokens: http.created.tokens, users: http.created.users, revoked_tokens: http.created.revokedTokens.size, artifacts: http.created.artifacts },
      },
      sockets: {
        messages: sockets.messages,
        seconds: sockets.elapsedMs / 1000,
        by_event: sockets.byEvent,
        accepted_hopeless: sockets.acceptedHopeless,
        retry_for_hopeless: sockets.retryHopeless,
        malformed_acks: sockets.malformedAcks,
        ack_timeouts: sockets.timeouts,
        first_violations: sockets.firstViolations,
        disconnects,
        top_refusals: Object.fromEntries(Object.entries(sockets.refusals).sort((a, b) => b[1] - a[1]).slice(0, 15)),
      },
      server_rss_mb: rss,
      persisted: { before, after, table_row_deltas: tables?.deltas ?? null, problems },
      healthy_after: health.status === 200,
    };
    const pass = http.serverErrors === 0 && problems.length === 0 && sockets.acceptedHopeless + sockets.retryHopeless + sockets.malformedAcks + sockets.timeouts === 0 && report.healthy_after;
    return { pass, ...report };
  } finally {
    clearInterval(sampler);
    await server.stop();
    await database?.dropDatabase();
  }
}

await ensureDashboardBuilt(PROJECT_ROOT, (m) => console.error(m));
const results = await perDatabaseKind(kinds, fuzzOn);
const report = {
  bench: "fuzz",
  machine: { cpus: os.cpus().length, load_average_1m: Math.round(os.loadavg()[0] * 100) / 100, node: process.version },
  seed,
  results,
};
const json = JSON.stringify(report, null, 2);
console.log(json);
if (out) writeFileSync(out, json + "\n");
process.exit(Object.values(results).every((r) => (r as { pass?: boolean }).pass !== false) ? 0 : 1);
