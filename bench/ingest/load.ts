// The load: worker agents that are real Socket.IO clients speaking the worker protocol (token handshake, idle,
// assignment, acknowledged epoch reports), and one dashboard client subscribed to the sweep's room that times each
// epoch from the agent's send to its own receipt.
import { io, type Socket } from "socket.io-client";
import { WORKER_SOCKET_PATH, type DashboardClientEvents, type DashboardServerEvents, type WorkerAck, type WorkerClientEvents, type WorkerServerEvents } from "../../server/realtime/events";
import type { EpochMetrics } from "../../server/training/types";

export interface LoadOptions {
  url: string;
  /** The worker token. */
  token: string;
  /** An api token for the dashboard client. */
  apiToken: string;
  sweepId: string;
  agents: number;
  /** Unacknowledged reports an agent keeps in flight (1: send the next epoch only after the previous ack). */
  window: number;
}

export interface Load {
  /** Counts and latencies from now on (after the warm-up). */
  startMeasuring(): void;
  /** Stops sending and waits for every report in flight to be answered. */
  stop(): Promise<void>;
  /** Acknowledged reports in the measured interval. */
  acked(): number;
  /** Acknowledged reports since the start, warm-up included. */
  totalAcked(): number;
  refused(): string[];
  latenciesMs(): number[];
  close(): void;
}

const METRICS_PER_REPORT = 7;
/** A trial's epochs (the template's maximum): the server refuses later ones, so agents then move to a new trial. */
export const EPOCHS_PER_TRIAL = 500;
export const pointsPerReport = METRICS_PER_REPORT;

function metricsFor(epoch: number): EpochMetrics {
  const accuracy = 1 - 1 / (epoch + 1);
  return { loss: 1 / epoch, accuracy, val_loss: 1.1 / epoch, val_accuracy: accuracy * 0.98, duration_ms: 1, images_per_sec: 50_000, learning_rate: 0.001 };
}

export async function startLoad(options: LoadOptions): Promise<Load> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const refusals: string[] = [];
  let measuring = false;
  let stopping = false;
  let ackedCount = 0;
  let ackedTotal = 0;
  const inFlight = new Set<Promise<void>>();

  const dashboard: Socket<DashboardServerEvents, DashboardClientEvents> = io(options.url, { transports: ["websocket"], extraHeaders: { authorization: `Bearer ${options.apiToken}` } });
  dashboard.on("trial:epochs", ({ epochs }) => {
    const now = performance.now();
    for (const { trialId, record } of epochs) {
      const key = `${trialId}:${record.epoch}`;
      const sent = sentAt.get(key);
      if (sent === undefined) continue;
      sentAt.delete(key);
      if (measuring) latencies.push(now - sent);
    }
  });
  const subscribed = await dashboard.emitWithAck("sweep:subscribe", { sweepId: options.sweepId });
  if (!subscribed.ok) throw new Error(`dashboard subscription refused: ${subscribed.error}`);

  const sockets = await Promise.all(Array.from({ length: options.agents }, (_, i) => startAgent(i)));

  async function startAgent(index: number): Promise<Socket<WorkerServerEvents, WorkerClientEvents>> {
    const socket: Socket<WorkerServerEvents, WorkerClientEvents> = io(`${options.url}/workers`, {
      path: WORKER_SOCKET_PATH,
      extraHeaders: { authorization: `Bearer ${options.token}` },
      auth: { name: `bench-agent-${index + 1}`, backend: "bench", busyWith: null },
      transports: ["websocket"],
    });
    let job: { trialId: string; attempt: number } | null = null;
    let epoch = 0;
    let pending = 0;
    socket.on("trial:assign", (assigned) => {
      job = assigned;
      epoch = 0;
      for (let i = 0; i < options.window; i++) sendNext();
    });
    socket.on("connect", () => socket.emit("worker:idle"));
    /** A finished trial (all its epochs acknowledged) is reported failed, which is cheap, and the agent asks for the next. */
    const nextTrial = (trial: { trialId: string; attempt: number }) => {
      job = null;
      void socket.emitWithAck("trial:failed", { ...trial, error: "benchmark trial done" }).then(() => socket.emit("worker:idle"));
    };
    const sendNext = (): void => {
      const trial = job;
      if (stopping || !trial || epoch >= EPOCHS_PER_TRIAL) return;
      epoch += 1;
      pending += 1;
      const key = `${trial.trialId}:${epoch}`;
      sentAt.set(key, performance.now());
      const done = socket
        .emitWithAck("trial:epoch", { trialId: trial.trialId, attempt: trial.attempt, epoch, metrics: metricsFor(epoch) })
        .then((ack: WorkerAck) => {
          inFlight.delete(done);
          pending -= 1;
          if (!ack.ok) return void refusals.push(ack.error);
          ackedTotal += 1;
          if (measuring) ackedCount += 1;
          if (epoch >= EPOCHS_PER_TRIAL && pending === 0 && job === trial) return nextTrial(trial);
          sendNext();
        });
      inFlight.add(done);
    };
    await new Promise<void>((resolve) => socket.once("trial:assign", () => resolve()));
    return socket;
  }

  return {
    startMeasuring() {
      measuring = true;
      latencies.length = 0;
      ackedCount = 0;
    },
    async stop() {
      stopping = true;
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      measuring = false;
    },
    acked: () => ackedCount,
    totalAcked: () => ackedTotal,
    refused: () => refusals,
    latenciesMs: () => latencies,
    close() {
      dashboard.disconnect();
      for (const socket of sockets) socket.disconnect();
    },
  };
}
