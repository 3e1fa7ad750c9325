// What the fuzz test and benchmark need around the generator: a server with real targets (sweeps, waiting trials,
// a trial held by a socket, uploaded blobs, revocable tokens), counts of everything a request could persist, and
// the check that the counts moved only by what accepted requests account for.
import { createHash, randomBytes } from "node:crypto";
import postgres from "postgres";
import { CSRF_COOKIE, CSRF_HEADER } from "../../server/http/cookie-names";
import { epochCounts, httpReads, sweepState } from "./sweep-reads";
import { signIn } from "./auth";
import type { FuzzContext } from "./fuzz";
import type { Credentials, HttpFuzzReport } from "./fuzz-runner";
import { connectFuzzSockets, type FuzzSockets, type SocketFuzzReport } from "./fuzz-socket-runner";
import type { SocketFuzzContext } from "./fuzz-sockets";
import { allRoutes } from "./route-table";
import { ADMIN_EMAIL, type ServerProcess } from "./server-process";
import { EXAMPLE_SWEEP, tinySweep } from "./sweeps";

/** The server's local worker token (SWEEPBOARD_WORKER_TOKEN), so the fuzz can speak for workers. */
export const FUZZ_WORKER_TOKEN = "fuzz-local-worker-token-0123456789";

/** Environment for the fuzzed server: no local workers, leases that outlive the run (the holder sends no real
 *  heartbeats, and a requeue would make its trials' attempts stale), attempts that never run out. */
export const FUZZ_SERVER_ENV = { SWEEPBOARD_WORKERS: "0", SWEEPBOARD_WORKER_TOKEN: FUZZ_WORKER_TOKEN, SWEEPBOARD_LEASE_MS: "900000", SWEEPBOARD_MAX_ATTEMPTS: "100" };

export interface FuzzTargets {
  creds: Credentials;
  http: FuzzContext;
  socket: SocketFuzzContext;
  sockets: FuzzSockets;
  /** The sweep whose trial the holder socket holds: HTTP requests never aim at it, so its trials change only by
   *  socket reports. */
  socketSweepId: string;
}

async function expectStatus(response: Response, status: number, what: string): Promise<Response> {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}

async function createSweep(server: ServerProcess, document: object): Promise<string> {
  const response = await expectStatus(await server.fetch("/api/sweeps", { method: "POST", body: JSON.stringify(document) }), 201, "create sweep");
  return ((await response.json()) as { id: string }).id;
}

const readerOf = (server: ServerProcess) => httpReads((path) => server.fetch(path));

async function detail(server: ServerProcess, id: string) {
  const state = await sweepState(readerOf(server), id);
  return { ...state, epochs: await epochCounts(readerOf(server), id, state.trials.map((t) => t.id)) };
}

/** Waits until the scheduler has planned the sweep's first trials. */
async function plannedTrials(server: ServerProcess, id: string, atLeast: number): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { trials } = await detail(server, id);
    if (trials.length >= atLeast) return trials.map((t) => t.id);
    if (Date.now() > deadline) throw new Error(`sweep ${id} planned ${trials.length} trials, wanted ${atLeast}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function prepareFuzzTargets(server: ServerProcess): Promise<FuzzTargets> {
  const csrf = "f".repeat(43);
  const session = { cookie: `${await signIn(server.url, ADMIN_EMAIL)}; ${CSRF_COOKIE}=${csrf}`, csrf };
  const creds: Credentials = { apiToken: server.apiToken, workerToken: FUZZ_WORKER_TOKEN, session };

  // First the holder's sweep, alone, so the holder's one assignment is its trial.
  const socketSweepId = await createSweep(server, tinySweep({ name: "fuzz-sockets", max_trials: 2, concurrency: 1, epochs: 3 }));
  await plannedTrials(server, socketSweepId, 1);
  const sockets = await connectFuzzSockets(server.url, FUZZ_WORKER_TOKEN, server.apiToken);

  const sweepIds = [await createSweep(server, EXAMPLE_SWEEP), await createSweep(server, tinySweep({ name: "fuzz-http", max_trials: 3, concurrency: 2 }))];
  const trialIds = (await Promise.all(sweepIds.map((id) => plannedTrials(server, id, 2)))).flat();
  const socketTrials = await plannedTrials(server, socketSweepId, 1);

  const blobs: { sha256: string; bytes: number }[] = [];
  for (const bytes of [16, 1000]) {
    const body = randomBytes(bytes);
    const sha256 = createHash("sha256").update(body).digest("hex");
    const response = await fetch(`${server.url}/api/worker/artifacts/${sha256}`, { method: "PUT", headers: { authorization: `Bearer ${FUZZ_WORKER_TOKEN}`, "content-type": "application/octet-stream" }, body });
    await expectStatus(response, 201, "upload artifact");
    blobs.push({ sha256, bytes });
  }

  const tokenIds: string[] = [];
  for (const name of ["fuzz-victim-1", "fuzz-victim-2"]) {
    const response = await fetch(`${server.url}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: session.cookie, origin: server.url, [CSRF_HEADER]: csrf },
      body: JSON.stringify({ name, scope: "worker" }),
    });
    tokenIds.push(((await (await expectStatus(response, 201, "create token")).json()) as { summary: { id: string } }).summary.id);
  }

  const heldIds = new Set(sockets.held.map((h) => h.trialId));
  return {
    creds,
    socketSweepId,
    sockets,
    http: { routes: allRoutes(), sweepIds, trialIds, modelIds: [], tokenIds, blobs: blobs.map((b) => b.sha256) },
    socket: { held: sockets.held, foreignTrialIds: [...trialIds, ...socketTrials.filter((id) => !heldIds.has(id))], sweepIds: [...sweepIds, socketSweepId], blobs },
  };
}

export interface PersistedCounts {
  sweeps: number;
  models: number;
  liveTokens: number;
  users: number;
  /** Epoch records of every trial of every sweep. */
  epochs: number;
  /** Trials by state, over every sweep. */
  trialStates: Record<string, number>;
  /** The socket sweep's trials: id → state@attempt. */
  socketTrials: Record<string, string>;
}

export async function countPersisted(server: ServerProcess, targets: FuzzTargets): Promise<PersistedCounts> {
  const asAdmin = (path: string) => fetch(server.url + path, { headers: { cookie: targets.creds.session.cookie } });
  const read = async <T>(path: string, viaSession = false): Promise<T> =>
    (await (await expectStatus(viaSession ? await asAdmin(path) : await server.fetch(path), 200, `GET ${path}`)).json()) as T;
  const { sweeps } = await read<{ sweeps: { id: string }[] }>("/api/sweeps");
  const details = await Promise.all(sweeps.map((s) => detail(server, s.id)));
  const trialStates: Record<string, number> = {};
  let epochs = 0;
  for (const d of details)
    for (const t of d.trials) {
      trialStates[t.state] = (trialStates[t.state] ?? 0) + 1;
      epochs += d.epochs.get(t.id) ?? 0;
    }
  const socketSweep = details.find((d) => d.sweep.id === targets.socketSweepId);
  return {
    sweeps: sweeps.length,
    models: (await read<{ models: unknown[] }>("/api/models")).models.length,
    liveTokens: (await read<{ tokens: unknown[] }>("/api/tokens", true)).tokens.length,
    users: (await read<{ users: unknown[] }>("/api/users", true)).users.length,
    epochs,
    trialStates,
    socketTrials: Object.fromEntries((socketSweep?.trials ?? []).map((t) => [t.id, `${t.state}@${t.attempt}`])),
  };
}

/** Every way the counts moved beyond what the accepted requests and messages account for; empty when none. */
export function persistenceProblems(before: PersistedCounts, after: PersistedCounts, http: HttpFuzzReport, sockets: SocketFuzzReport | null): string[] {
  const problems: string[] = [];
  const c = http.created;
  const expectEqual = (what: string, got: number, want: number) => got !== want && problems.push(`${what}: ${got}, expected ${want}`);
  expectEqual("sweeps", after.sweeps, before.sweeps + c.sweeps);
  expectEqual("models", after.models, before.models + c.models.size);
  expectEqual("live tokens", after.liveTokens, before.liveTokens + c.tokens - c.revokedTokens.size);
  expectEqual("users", after.users, before.users + c.users);
  const acked = (event: string) => sockets?.byEvent[event]?.ok ?? 0;
  expectEqual("epoch records", after.epochs, before.epochs + acked("trial:epoch"));
  expectEqual("complete trials", after.trialStates.complete ?? 0, (before.trialStates.complete ?? 0) + acked("trial:complete"));
  expectEqual("pruned trials", after.trialStates.pruned ?? 0, before.trialStates.pruned ?? 0);
  // The socket sweep's trials move only by accepted reports (none are sent that could be).
  if (acked("trial:complete") + acked("trial:failed") === 0) {
    for (const [id, state] of Object.entries(before.socketTrials)) if (after.socketTrials[id] !== state) problems.push(`socket sweep trial ${id}: ${state} → ${after.socketTrials[id]}`);
  }
  return problems;
}

/** Rows of every table (PostgreSQL only: PGlite lives inside the server process). */
export async function tableCounts(url: string): Promise<Record<string, number>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = (await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from "${name}"`))[0].n;
    return counts;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** New rows per table, and the problems: tables only accepted writes add to must grow by exactly what the accepted
 *  answers and acks account for (trials, sessions and rate-limit rows move for other reasons). */
export function tableDeltaProblems(before: Record<string, number>, after: Record<string, number>, http: HttpFuzzReport, sockets: SocketFuzzReport | null): { deltas: Record<string, number>; problems: string[] } {
  const deltas = Object.fromEntries(Object.keys(after).map((t) => [t, after[t] - (before[t] ?? 0)]));
  const acked = (event: string) => sockets?.byEvent[event]?.ok ?? 0;
  const expected: Record<string, number> = {
    sweeps: http.created.sweeps,
    models: http.created.models.size,
    api_tokens: http.created.tokens,
    auth_users: http.created.users,
    artifacts: http.created.artifacts,
    trial_epochs: acked("trial:epoch"),
    trial_artifacts: acked("trial:complete"),
  };
  const problems: string[] = [];
  for (const [table, want] of Object.entries(expected)) {
    if (!(table in deltas)) problems.push(`table ${table} is gone (renamed?): update tableDeltaProblems`);
    else if (deltas[table] !== want) problems.push(`table ${table}: ${deltas[table]} new rows, expected ${want}`);
  }
  return { deltas, problems };
}
