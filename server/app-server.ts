// Starts Sweepboard: database (migrated), stores, Socket.IO gateways, scheduler, Next.js dashboard and the
// local worker pool, all on one HTTP port.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Server as SocketServer } from "socket.io";
import type { SweepboardConfig } from "./config";
import { createServices } from "./create-services";
import { openDatabase } from "./db/client";
import { ModelRegistry } from "./models/model-registry";
import { attachDashboardGateway } from "./realtime/dashboard-gateway";
import { DASHBOARD_NAMESPACE, WORKER_NAMESPACE } from "./realtime/events";
import { usePostgresAdapter } from "./realtime/postgres-adapter";
import { createPublisher } from "./realtime/publisher";
import { attachWorkerGateway } from "./realtime/worker-gateway";
import { EpochIngest } from "./scheduler/epoch-ingest";
import { advisoryPlanningLocks, SOLE_PLANNER } from "./scheduler/planning-locks";
import { Scheduler } from "./scheduler/scheduler";
import { TrialStore } from "./scheduler/trial-store";
import { WorkerRegistry } from "./scheduler/worker-registry";
import { setServices, type Services } from "./services";
import { SweepStore } from "./sweeps/sweep-store";
import type { LocalPool } from "./worker/local-pool";

export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface RunningSweepboard {
  url: string;
  port: number;
  workerToken: string;
  services: Services;
  io: SocketServer;
  scheduler: Scheduler;
  workers: WorkerRegistry;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startSweepboard(config: SweepboardConfig, log: (m: string) => void = console.log): Promise<RunningSweepboard> {
  mkdirSync(config.home, { recursive: true });
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.home, "pgdata") });
  log(`database: ${database.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${join(config.home, "pgdata")}`}`);

  let handle: Handler = (_req, res) => {
    res.statusCode = 404;
    res.end();
  };
  const http = createServer((req, res) => handle(req, res));
  // Model uploads carry the weights; allow well above the largest template's size.
  const io = new SocketServer(http, { maxHttpBufferSize: 256 * 1024 * 1024, destroyUpgrade: !config.dev });
  // PostgreSQL may be shared by several instances (see README, "Several server instances"): browsers on each hear
  // every instance's updates, and one instance at a time plans each sweep. PGlite is one process: neither is needed.
  const shared = database.kind === "postgres" && config.databaseUrl ? config.databaseUrl : null;
  const closeAdapter = shared ? await usePostgresAdapter(io, shared, log) : async () => {};
  const planningLocks = shared ? advisoryPlanningLocks(shared) : SOLE_PLANNER;

  const sweeps = new SweepStore(database.db);
  const trials = new TrialStore(database.db, config.leaseMs, config.maxAttempts);
  const workers = new WorkerRegistry();
  const dashboard = io.of(DASHBOARD_NAMESPACE);
  const publisher = createPublisher(dashboard, sweeps);
  const scheduler = new Scheduler({ db: database.db, sweeps, trials, workers, publisher, log, planningLocks });
  const workerToken = config.workerToken ?? loadOrCreateToken(config.home);
  attachDashboardGateway(dashboard, sweeps);
  const epochs = new EpochIngest({ trials, publisher, epochStored: (w, trial, epoch) => scheduler.epochStored(w, trial, epoch), log });
  attachWorkerGateway(io.of(WORKER_NAMESPACE), { token: workerToken, leaseMs: config.leaseMs, scheduler, epochs, workers, log });

  const services = createServices({ db: database.kind, database: database.db, trials, sweeps, models: new ModelRegistry(database.db), scheduler, workers, publisher });
  setServices(services);

  let closeNext = async () => {};
  if (config.dashboard) {
    const next = (await import("next")).default;
    const app = next({ dev: config.dev, dir: PROJECT_ROOT, hostname: "localhost", port: config.port });
    await app.prepare();
    const nextHandler = app.getRequestHandler();
    handle = (req, res) => void nextHandler(req, res);
    if (config.dev) {
      const upgrade = app.getUpgradeHandler();
      http.on("upgrade", (req, socket, head) => {
        if (!req.url?.startsWith("/socket.io")) void upgrade(req, socket, head);
      });
    }
    closeNext = () => app.close();
  }

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  // Check leases often (the check is one indexed update), so a silent worker's trial is re-queued promptly.
  scheduler.start(Math.min(1000, Math.max(100, config.leaseMs / 4)));
  let pool: Promise<LocalPool | null> | null = null;
  if (config.workers > 0) {
    // Loaded on demand: a server without local workers never touches the training code. Not awaited: the API
    // answers while the trainer processes start, and workers join as they come up.
    const { startLocalPool } = await import("./worker/local-pool");
    pool = startLocalPool({ size: config.workers, serverUrl: url, token: workerToken, log }).catch((error: Error) => {
      log(`local workers failed to start: ${error.message}`);
      return null;
    });
  }
  log(`Sweepboard listening on http://localhost:${port} with ${config.workers} local worker(s)`);

  return {
    url,
    port,
    workerToken,
    services,
    io,
    scheduler,
    workers,
    async close() {
      await (await pool)?.stop();
      await scheduler.stop();
      await planningLocks.close();
      await io.close();
      await closeAdapter();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await closeNext();
      setServices(undefined);
      await database.close();
    },
  };
}

/** Remote workers need the token; keep it stable across restarts so their configuration stays valid. */
function loadOrCreateToken(home: string): string {
  const file = join(home, "worker-token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const token = randomBytes(24).toString("base64url");
  writeFileSync(file, token + "\n", { mode: 0o600 });
  return token;
}
