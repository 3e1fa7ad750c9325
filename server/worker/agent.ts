// A worker agent: connects to the server's "/workers" namespace with a token, trains the trials it is
// assigned (in its trainer's child process), and reports every epoch until the server acknowledges it.
// The local pool and `sweepboard worker` on a remote GPU box run this same code.
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { WorkerClientEvents, WorkerHello, WorkerServerEvents } from "../realtime/events";
import { WORKER_NAMESPACE } from "../realtime/events";
import type { TrainJob } from "../training/types";
import { emitUntilAcked } from "./reliable-emit";
import type { Trainer } from "../training/trainer-client";
import type { EngineInfo } from "../training/backend";

export interface WorkerAgentOptions {
  serverUrl: string;
  token: string;
  name: string;
  backend: string;
  /** Device, memory and cores of the trainer's engine, advertised with the backend. */
  engine?: Pick<EngineInfo, "device" | "memoryBytes" | "cores">;
  trainer: Trainer;
  log?: (message: string) => void;
  /** Fixed heartbeat; by default the server's welcome message sets it from its lease. */
  heartbeatMs?: number;
  ackTimeoutMs?: number;
}

export interface WorkerAgent {
  id: string;
  /** Resolves when the first connection is accepted; rejects when the server refuses the agent. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startWorkerAgent(options: WorkerAgentOptions): WorkerAgent {
  const { trainer, name } = options;
  const log = options.log ?? (() => {});
  const id = randomUUID();
  let current: { trialId: string; refused: boolean } | null = null;
  let stopped = false;
  const emitOptions = { timeoutMs: options.ackTimeoutMs ?? 30_000, retryDelayMs: 500, isCancelled: () => stopped };

  const socket: Socket<WorkerServerEvents, WorkerClientEvents> = io(options.serverUrl + WORKER_NAMESPACE, {
    auth: (cb) =>
      cb({
        token: options.token,
        id,
        name,
        backend: options.backend,
        // Only these fields: an EngineInfo also carries the bare backend name, which must not replace the label.
        ...(options.engine && { device: options.engine.device, memoryBytes: options.engine.memoryBytes, cores: options.engine.cores }),
        busyWith: current?.trialId ?? null,
      } satisfies WorkerHello),
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    transports: ["websocket"],
  });

  const ready = new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.on("connect_error", (error) => {
      // A refusal by the server's middleware is final (no automatic reconnect); network errors are retried.
      if (!socket.active) {
        log(`worker ${name}: server refused the connection: ${error.message}`);
        reject(error);
      }
    });
  });
  ready.catch(() => {});

  socket.on("connect", () => {
    log(`worker ${name}: connected to ${options.serverUrl}`);
    if (!current) socket.emit("worker:idle");
  });

  let heartbeatMs = options.heartbeatMs ?? 5_000;
  socket.on("worker:welcome", (welcome) => {
    // The server's lease decides the pace, unless the caller fixed one.
    if (options.heartbeatMs === undefined && Number.isFinite(welcome?.heartbeatMs) && welcome.heartbeatMs >= 50) heartbeatMs = welcome.heartbeatMs;
  });

  socket.on("trial:assign", (job) => {
    if (current) return log(`worker ${name}: ignored trial ${job.trialId}: still training ${current.trialId}`);
    void run(job);
  });

  socket.on("trial:stop", ({ trialId, reason }) => {
    if (current?.trialId !== trialId) return;
    log(`worker ${name}: stopping trial ${trialId}: ${reason}`);
    current.refused = true;
    trainer.stop();
  });

  async function run(job: TrainJob): Promise<void> {
    const trial = { trialId: job.trialId, refused: false };
    current = trial;
    const heartbeat = setInterval(() => socket.connected && socket.emit("trial:heartbeat", { trialId: job.trialId }), heartbeatMs);
    try {
      const result = await trainer.train(job, async (epoch, metrics) => {
        const ack = await emitUntilAcked(socket, "trial:epoch", { trialId: job.trialId, attempt: job.attempt, epoch, metrics }, emitOptions);
        if (!ack.ok && !trial.refused) {
          log(`worker ${name}: server refused epoch ${epoch} of ${job.trialId}: ${ack.error}; stopping it`);
          trial.refused = true;
          trainer.stop();
        }
      });
      if (!trial.refused) {
        const ack = await emitUntilAcked(socket, "trial:complete", { trialId: job.trialId, attempt: job.attempt, ...result }, emitOptions);
        if (!ack.ok) log(`worker ${name}: server refused the result of ${job.trialId}: ${ack.error}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`worker ${name}: trial ${job.trialId} failed: ${message}`);
      if (!trial.refused) await emitUntilAcked(socket, "trial:failed", { trialId: job.trialId, attempt: job.attempt, error: message }, emitOptions);
    } finally {
      clearInterval(heartbeat);
      current = null;
      if (socket.connected && !stopped) socket.emit("worker:idle");
    }
  }

  return {
    id,
    ready,
    async stop() {
      stopped = true;
      socket.disconnect();
      await trainer.dispose();
    },
  };
}
