// Starts Sweepboard: database (migrated), stores, Socket.IO gateways, scheduler, Next.js dashboard and the
// local worker pool, all on one HTTP port.
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Server as SocketServer } from "socket.io";
import { artifactRoutes } from "./artifacts/artifact-routes";
import { maxArtifactBytes, openArtifactStore } from "./artifacts/open-artifacts";
import type { SweepboardConfig } from "./config";
import { createServices } from "./create-services";
import { openDatabase } from "./db/client";
import { embeddedDatabaseHolder, holdEmbeddedDatabase } from "./db/embedded-lock";
import { ModelRegistry } from "./models/model-registry";
import { attachDashboardGateway } from "./realtime/dashboard-gateway";
import { DASHBOARD_NAMESPACE, WORKER_NAMESPACE } from "./realtime/events";
import { usePostgresAdapter } from "./realtime/postgres-adapter";
import { createPublisher } from "./realtime/publisher";
import { EpochIngest } from "./scheduler/epoch-ingest";
import { advisoryPlanningLocks, SOLE_PLANNER } from "./scheduler/planning-locks";
import { Scheduler } from "./scheduler/scheduler";
import { TrialStore } from "./scheduler/trial-store";
import { WorkerRegistry } from "./scheduler/worker-registry";
import { setServices, type Services } from "./services";
import { SweepStore } from "./sweeps/sweep-store";
import type { LocalPool } from "./worker/local-pool";
import type { RawRoute } from "./http/raw-routes";
import { workerRoutes } from "./http/worker-routes";
import { createAuthService } from "./auth/auth-service";
import { prepareFirstAccount } from "./auth/first-account";
import type { TokenStore } from "./auth/token-store";
import { openFrontDoor } from "./http/front-door";
import { isLoopbackHost } from "./http/host-allow-list";
import { createRequestGate, type Handler } from "./http/request-gate";
import { attachWorkerGateway, type WorkerGateway } from "./realtime/worker-gateway";

export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface RunningSweepboard {
  url: string;
  port: number;
  workerToken: string;
  services: Services;
  /** Browsers' Socket.IO server. */
  io: SocketServer;
  /** Worker agents' Socket.IO server (its own path and message limit). */
  workerIo: SocketServer;
  scheduler: Scheduler;
  workers: WorkerRegistry;
  close(): Promise<void>;
}

export async function startSweepboard(config: SweepboardConfig, log: (m: string) => void = console.log): Promise<RunningSweepboard> {
  mkdirSync(config.home, { recursive: true });
  const holder = config.databaseUrl ? null : embeddedDatabaseHolder(config.home);
  if (holder !== null) throw new Error(`another Sweepboard server (pid ${holder}) is using ${config.home}: stop it, or set SWEEPBOARD_HOME`);
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.home, "pgdata") });
  const releaseDatabase = database.kind === "pglite" ? holdEmbeddedDatabase(config.home) : () => {};
  log(`database: ${database.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${join(config.home, "pgdata")}`}`);

  // The port is bound first (its number names the server in cookies and links); requests wait for the gate.
  let handle: Handler = (_req, res) => {
    res.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
    res.end(JSON.stringify({ error: "starting" }));
  };
  const http = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const door = openFrontDoor(http, { config, db: database.db, port, log });
  const io = door.sockets.browsers;
  // PostgreSQL may be shared by several instances (see README, "Several server instances"): browsers on each hear
  // every instance's updates, and one instance at a time plans each sweep. PGlite is one process: neither is needed.
  const shared = database.kind === "postgres" && config.databaseUrl ? config.databaseUrl : null;
  const closeAdapter = shared ? await usePostgresAdapter(io, shared, log) : async () => {};
  const planningLocks = shared ? advisoryPlanningLocks(shared) : SOLE_PLANNER;

  // Model weights: files under home with PGlite, chunks in the shared database with DATABASE_URL (see server/artifacts/).
  const artifacts = await openArtifactStore(database, config.home, log);
  // Routes the custom server answers itself (streamed transfers); the gate checks each one's access first.
  const rawRoutes: RawRoute[] = [...workerRoutes, ...artifactRoutes(artifacts, maxArtifactBytes())];
  const sweeps = new SweepStore(database.db);
  const trials = new TrialStore(database.db, config.leaseMs, config.maxAttempts, database.leases);
  const workers = new WorkerRegistry();
  const dashboard = io.of(DASHBOARD_NAMESPACE);
  const publisher = createPublisher(dashboard, sweeps);
  const scheduler = new Scheduler({ db: database.db, sweeps, trials, workers, publisher, artifacts, log, planningLocks });
  attachDashboardGateway(dashboard, sweeps);
  const epochs = new EpochIngest({ trials, publisher, epochStored: (w, trial, epoch) => scheduler.epochStored(w, trial, epoch), log });
  const gateway = attachWorkerGateway(door.sockets.workers.of(WORKER_NAMESPACE), { leaseMs: config.leaseMs, scheduler, epochs, workers, secret: door.secret, log });
  const stopRevocationChecks = dropRevokedWorkers(door.tokens, gateway, log);

  const firstAccount = await prepareFirstAccount(door.accounts, { admin: config.admin, setupUrl: (token) => `${door.baseUrl}/setup?token=${token}`, log });
  if (!isLoopbackHost(config.host) && firstAccount.open) log(`warning: listening on ${config.host} (other hosts can reach this server) and no account exists yet: open the setup link now, or set SWEEPBOARD_ADMIN_PASSWORD`);
  const auth = createAuthService({ accounts: door.accounts, tokens: door.tokens, firstAccount, tokenRevoked: (id) => gateway.dropToken(id) });
  const services = createServices({ db: database.kind, database: database.db, trials, sweeps, models: new ModelRegistry(database.db, artifacts), scheduler, workers, publisher, auth, log });
  setServices(services);

  let next: Handler = (_req, res) => {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not found" }));
  };
  let closeNext = async () => {};
  if (config.dashboard) {
    const nextServer = (await import("next")).default;
    const app = nextServer({ dev: config.dev, dir: PROJECT_ROOT, hostname: "localhost", port });
    await app.prepare();
    const nextHandler = app.getRequestHandler();
    next = (req, res) => void nextHandler(req, res);
    if (config.dev) {
      const upgrade = app.getUpgradeHandler();
      http.on("upgrade", (req, socket, head) => {
        if (!req.url?.startsWith("/socket.io")) void upgrade(req, socket, head);
      });
    }
    closeNext = () => app.close();
  }
  handle = createRequestGate({ allowList: door.allowList, authenticator: door.authenticator, rawRoutes, auth: door.authHandler, next, dev: config.dev, secureCookies: door.secureCookies, log });

  // Check leases often (the check is one indexed update), so a silent worker's trial is re-queued promptly.
  scheduler.start(Math.min(1000, Math.max(100, config.leaseMs / 4)));
  let pool: Promise<LocalPool | null> | null = null;
  if (config.workers > 0) {
    // Loaded on demand: a server without local workers never touches the training code. Not awaited: the API
    // answers while the trainer processes start, and workers join as they come up.
    const { startLocalPool } = await import("./worker/local-pool");
    pool = startLocalPool({ size: config.workers, serverUrl: url, token: door.workerToken, home: config.home, log }).catch((error: Error) => {
      log(`local workers failed to start: ${error.message}`);
      return null;
    });
  }
  log(`Sweepboard listening on http://${isLoopbackHost(config.host) ? "localhost" : config.host}:${port} with ${config.workers} local worker(s)`);

  return {
    url,
    port,
    workerToken: door.workerToken,
    services,
    io,
    workerIo: door.sockets.workers,
    scheduler,
    workers,
    async close() {
      stopRevocationChecks();
      await (await pool)?.stop();
      await scheduler.stop();
      await planningLocks.close();
      await door.sockets.close();
      await closeAdapter();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await closeNext();
      setServices(undefined);
      await database.close();
      releaseDatabase();
    },
  };
}

/** A token revoked on another instance (same database) drops its workers here within the check interval. */
function dropRevokedWorkers(tokens: TokenStore, gateway: WorkerGateway, log: (m: string) => void, everyMs = 15_000): () => void {
  const timer = setInterval(() => {
    tokens.revokedAmong(gateway.tokenIds()).then(
      (revoked) => revoked.forEach((id) => gateway.dropToken(id)),
      (error: Error) => log(`token revocation check failed: ${error.message}`),
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
