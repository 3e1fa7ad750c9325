// A worker agent: connects to the server's "/workers" namespace with a token, trains the trials it is
// assigned (in its trainer's child process), and reports every epoch until the server acknowledges it.
// The local pool and `sweepboard worker` on a remote GPU box run this same code.
import { io, type Socket } from "socket.io-client";
import type { WorkerClientEvents, WorkerHello, WorkerServerEvents } from "../realtime/events";
import { WORKER_NAMESPACE, WORKER_SOCKET_PATH } from "../realtime/events";
import type { TrainJob } from "../training/types";
import { uploadWeights } from "./artifact-upload";
import { WORKER_WHOAMI_PATH } from "../http/worker-routes";
import { emitUntilAcked } from "./reliable-emit";
import { isTrainerKilled, type Trainer } from "../training/trainer-client";
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
  /** The id the server assigned (set by its welcome; null until the first connection). */
  readonly id: string | null;
  /** Resolves when the first connection is accepted; rejects when the server refuses the agent. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startWorkerAgent(options: WorkerAgentOptions): WorkerAgent {
  const { trainer, name } = options;
  const log = options.log ?? (() => {});
  // The server assigns the id; its ticket claims the same id (and so this worker's leases) after a reconnect.
  let identity: { workerId: string; ticket: string } | null = null;
  /** `refused`: the server wants nothing more of this attempt; `keepModel`: it stopped the trial (its sweep's stop)
   *  but wants the model trained so far, so refused epochs do not cancel the upload. */
  let current: { trialId: string; refused: boolean; keepModel?: boolean } | null = null;
  let stopped = false;
  const emitOptions = { timeoutMs: options.ackTimeoutMs ?? 30_000, retryDelayMs: 500, isCancelled: () => stopped };

  const socket: Socket<WorkerServerEvents, WorkerClientEvents> = io(options.serverUrl + WORKER_NAMESPACE, {
    path: WORKER_SOCKET_PATH,
    // Checked by the server before the connection opens (a header: never part of a logged payload).
    extraHeaders: { authorization: `Bearer ${options.token}` },
    auth: (cb) =>
      cb({
        name,
        backend: options.backend,
        // Only these fields: an EngineInfo also carries the bare backend name, which must not replace the label.
        ...(options.engine && { device: options.engine.device, memoryBytes: options.engine.memoryBytes, cores: options.engine.cores }),
        busyWith: current?.trialId ?? null,
        ...(identity && { resume: identity }),
      } satisfies WorkerHello),
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    transports: ["websocket"],
    // Opened once the token is known to be good (below).
    autoConnect: false,
  });

  // The server checks the token before a socket opens, and such a refusal reaches the client as a bare transport
  // error that it would retry forever; asking over HTTP first turns it into a clear, final answer.
  const refused = (reason: string) => {
    log(`worker ${name}: server refused the connection: ${reason}`);
    socket.disconnect();
    return new Error(reason);
  };
  const ready = new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.on("connect_error", (error) => {
      // A refusal by the server's middleware is final (no automatic reconnect); network errors are retried, unless
      // the token stopped being valid (revoked).
      if (!socket.active) return reject(refused(error.message));
      void tokenProblem(options).then((problem) => {
        if (problem) reject(refused(problem));
      });
    });
    void tokenProblem(options).then((problem) => (problem ? reject(refused(problem)) : stopped || socket.connect()));
  });
  ready.catch(() => {});

  // The server hung up on us (token revoked, flooding, or a newer connection of ours): find out which, and come
  // back unless the token is what it refused.
  socket.on("disconnect", (reason) => {
    if (reason !== "io server disconnect" || stopped) return;
    void tokenProblem(options).then((problem) => {
      if (problem) refused(problem);
      else setTimeout(() => stopped || socket.connect(), 1000);
    });
  });

  socket.on("connect", () => {
    log(`worker ${name}: connected to ${options.serverUrl}`);
    if (!current) socket.emit("worker:idle");
  });

  let heartbeatMs = options.heartbeatMs ?? 5_000;
  socket.on("worker:welcome", (welcome) => {
    if (typeof welcome?.workerId === "string" && typeof welcome.ticket === "string") identity = { workerId: welcome.workerId, ticket: welcome.ticket };
    // The server's lease decides the pace, unless the caller fixed one.
    if (options.heartbeatMs === undefined && Number.isFinite(welcome?.heartbeatMs) && welcome.heartbeatMs >= 50) heartbeatMs = welcome.heartbeatMs;
  });

  socket.on("trial:assign", (job) => {
    if (current) return log(`worker ${name}: ignored trial ${job.trialId}: still training ${current.trialId}`);
    void run(job);
  });

  socket.on("trial:stop", ({ trialId, reason, keepModel }) => {
    if (current?.trialId !== trialId) return;
    log(`worker ${name}: stopping trial ${trialId}: ${reason}`);
    if (keepModel === true) current.keepModel = true;
    else current.refused = true;
    trainer.stop();
  });

  async function run(job: TrainJob): Promise<void> {
    const trial: { trialId: string; refused: boolean; keepModel?: boolean } = { trialId: job.trialId, refused: false };
    current = trial;
    const heartbeat = setInterval(() => socket.connected && socket.emit("trial:heartbeat", { trialId: job.trialId }), heartbeatMs);
    try {
      const result = await trainer.train(job, async (epoch, metrics) => {
        const ack = await emitUntilAcked(socket, "trial:epoch", { trialId: job.trialId, attempt: job.attempt, epoch, metrics }, emitOptions);
        if (!ack.ok && !trial.refused && !trial.keepModel) {
          log(`worker ${name}: server refused epoch ${epoch} of ${job.trialId}: ${ack.error}; stopping it`);
          trial.refused = true;
          trainer.stop();
        }
      });
      if (!trial.refused) {
        // The weights go over HTTP first; the report names them. A refused upload (say, over the server's size
        // limit) throws, and the trial is reported failed with the server's reason.
        const upload = { serverUrl: options.serverUrl, token: options.token, retryDelayMs: emitOptions.retryDelayMs, isCancelled: emitOptions.isCancelled, log };
        const weights = await uploadWeights(result.artifact.weights, upload);
        const report = { trialId: job.trialId, attempt: job.attempt, ...result, artifact: { ...result.artifact, weights } };
        const ack = await emitUntilAcked(socket, "trial:complete", report, emitOptions);
        if (!ack.ok) log(`worker ${name}: server refused the result of ${job.trialId}: ${ack.error}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A trainer killed by a signal is the machine's fault: reported as such, the server runs the trial again.
      const kind = isTrainerKilled(error) ? "killed" : "error";
      log(`worker ${name}: trial ${job.trialId} ${kind === "killed" ? "lost" : "failed"}: ${message}`);
      if (!trial.refused) await emitUntilAcked(socket, "trial:failed", { trialId: job.trialId, attempt: job.attempt, error: message, kind }, emitOptions);
    } finally {
      clearInterval(heartbeat);
      current = null;
      if (socket.connected && !stopped) socket.emit("worker:idle");
    }
  }

  return {
    get id() {
      return identity?.workerId ?? null;
    },
    ready,
    async stop() {
      stopped = true;
      socket.disconnect();
      await trainer.dispose();
    },
  };
}

/** Why the server refuses this token (401/403 from whoami), or null when it accepts it or cannot be reached. */
async function tokenProblem(options: Pick<WorkerAgentOptions, "serverUrl" | "token">): Promise<string | null> {
  try {
    const response = await fetch(options.serverUrl + WORKER_WHOAMI_PATH, { headers: { authorization: `Bearer ${options.token}` } });
    if (response.status !== 401 && response.status !== 403) return null;
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    return `invalid worker token (${body.error ?? `HTTP ${response.status}`})`;
  } catch {
    return null; // not reachable yet: the socket keeps trying
  }
}
