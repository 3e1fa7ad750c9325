// `sweepboard` command line: `start` (dashboard + scheduler + local workers), `worker` (a remote worker agent), and
// the account and token commands.
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { PROJECT_ROOT, startSweepboard } from "./app-server";
import { createUserCommand, tokenCommand } from "./cli/admin-commands";
import { configFromEnv } from "./config";
import { ensureDashboardBuilt } from "./dashboard-build";
import { startWorkerAgent } from "./worker/agent";
import { gpuEnvironment, parseGpuList } from "./worker/gpu-list";
import { createTrainer } from "./training/trainer-client";
import { parseBackendPreference } from "./training/backend";

const HELP = `Sweepboard — hyperparameter sweeps for TensorFlow.js image classifiers

Usage:
  sweepboard [start] [--dev]        Dashboard, scheduler, embedded database and local workers on one port
  sweepboard worker --server URL --token TOKEN [--name NAME] [--backend auto|tensorflow|webgpu|wasm|cpu] [--gpus 0,1]
                                    Train trials for a Sweepboard server (e.g. on a GPU box); --backend pins
                                    the TF.js backend (default auto: tensorflow, webgpu, wasm, cpu, first that starts);
                                    --gpus runs one agent per listed GPU (one trial per GPU; CUDA_VISIBLE_DEVICES)
  sweepboard user create --email EMAIL [--name NAME]
                                    Add an account; the password is read from stdin when piped, else prompted
  sweepboard token create --name NAME [--scope worker|api]
                                    A token, printed once: worker tokens speak only the worker protocol, api
                                    tokens use the REST API (Authorization: Bearer …)
  sweepboard token list | sweepboard token revoke ID
  sweepboard --help

  With the embedded database, user and token commands need the server stopped (or use the Settings page).

Environment (start):
  PORT                     HTTP port (default 3000)
  HOST                     interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  SWEEPBOARD_ALLOWED_HOSTS extra Host names the server answers to, comma-separated (default: what it listens on)
  SWEEPBOARD_PUBLIC_URL    the URL users open when behind a proxy (https makes cookies Secure)
  SWEEPBOARD_PUBLIC_READ   1: anyone may read sweeps and models without signing in (writes still need an account)
  SWEEPBOARD_ADMIN_EMAIL   the first account's email (default admin@sweepboard.local)
  SWEEPBOARD_ADMIN_PASSWORD
                           create that first account with this password at start (else a one-time setup link
                           is printed)
  SWEEPBOARD_SECRET        signs sessions (default: generated in SWEEPBOARD_HOME/secret; share it between instances)
  SWEEPBOARD_HOME          data directory: embedded database, worker token, dataset caches (default .sweepboard)
  DATABASE_URL             postgres://… to use a PostgreSQL server instead of the embedded PGlite
  SWEEPBOARD_WORKERS       local workers to start (default: one per core; 0 for none)
  SWEEPBOARD_WORKER_TOKEN  token remote workers must present (default: generated, in SWEEPBOARD_HOME/worker-token)
  SWEEPBOARD_LEASE_MS      silence before a worker's trial is re-queued (default 10000; agents heartbeat at half of it)
  SWEEPBOARD_MAX_ATTEMPTS  runs a trial gets when its workers keep getting lost (default 3)

Environment (start and worker):
  SWEEPBOARD_DATA_DIR      where this machine's workers read datasets: sweeps' CSV files, and Fashion-MNIST
                           (else /usr/share/datasets/fashion-mnist, the copy shipped in server/datasets/data,
                           SWEEPBOARD_HOME/datasets, then a download from the official mirrors)
  SWEEPBOARD_FASHION_MNIST_MIRRORS
                           base URLs to download Fashion-MNIST from, comma-separated (empty: never download)
  SWEEPBOARD_BACKEND       TF.js backend for training: auto (default), tensorflow, webgpu, wasm or cpu
  SWEEPBOARD_NATIVE        0 to train on the WebAssembly kernels only (default: native kernels when they build)
`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      dev: { type: "boolean" },
      server: { type: "string" },
      token: { type: "string" },
      name: { type: "string" },
      backend: { type: "string" },
      gpus: { type: "string" },
      email: { type: "string" },
      scope: { type: "string" },
    },
  });
  const command = positionals[0] ?? "start";
  if (values.help) return void process.stdout.write(HELP);
  if (command === "start") return start(Boolean(values.dev));
  if (command === "user" && positionals[1] === "create") return createUserCommand(configFromEnv(), { email: values.email, name: values.name });
  if (command === "token") return tokenCommand(configFromEnv(), positionals[1], { name: values.name, scope: values.scope, id: positionals[2] });
  if (values.backend !== undefined) process.env.SWEEPBOARD_BACKEND = parseBackendPreference(values.backend, "--backend");
  else parseBackendPreference(process.env.SWEEPBOARD_BACKEND); // a typo fails here, not in every trainer process
  if (command === "worker") return worker(values.server, values.token ?? process.env.SWEEPBOARD_WORKER_TOKEN, values.name, values.gpus);
  throw new Error(`unknown command "${command}"\n\n${HELP}`);
}

async function start(dev: boolean): Promise<void> {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const config = { ...configFromEnv(), ...(dev ? { dev: true } : {}) };
  if (!config.dev) await ensureDashboardBuilt(PROJECT_ROOT, console.log);
  const app = await startSweepboard(config);
  // The local pool's token stays in SWEEPBOARD_HOME; remote boxes get tokens of their own (revocable one by one).
  console.log(`Remote workers: create a worker token in Settings (or \`sweepboard token create --name gpu-box-1\`), then on the box:`);
  console.log(`  npx sweepboard worker --server http://<this-host>:${app.port} --token <token>`);
  onShutdown(() => app.close());
}

async function worker(server: string | undefined, token: string | undefined, name: string | undefined, gpus: string | undefined): Promise<void> {
  if (!server || !token) throw new Error(`worker needs --server URL and --token TOKEN\n\n${HELP}`);
  if (!/^https?:\/\//.test(server)) throw new Error(`--server must be an http(s) URL (got "${server}")`);
  const base = name ?? hostname();
  // One agent per GPU (one trial per GPU), or a single agent.
  const slots: { name: string; env: Record<string, string> }[] = gpus === undefined ? [{ name: base, env: {} }] : parseGpuList(gpus).map((i) => ({ name: `${base}-gpu${i}`, env: gpuEnvironment(i) }));
  const agents = await Promise.all(
    slots.map(async (slot) => {
      const trainer = createTrainer({ env: slot.env });
      const backend = await trainer.backend();
      const engine = await trainer.engine();
      if (!engine) {
        await trainer.dispose();
        throw new Error(`the trainer could not start a TF.js backend: ${backend}`);
      }
      console.log(`${slot.name}: training on ${engine.label}: ${engine.device}`);
      const agent = startWorkerAgent({ serverUrl: server.replace(/\/$/, ""), token, name: slot.name, backend, engine, trainer, log: console.log });
      await agent.ready;
      return agent;
    }),
  );
  onShutdown(async () => void (await Promise.all(agents.map((agent) => agent.stop()))));
}

function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    console.log(`${signal}: shutting down…`);
    close().then(
      () => process.exit(0),
      (error) => (console.error(error), process.exit(1)),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`sweepboard: ${error.message}`);
  process.exit(1);
});
