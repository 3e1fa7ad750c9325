// The load: worker agents that are real Socket.IO clients speaking the worker protocol (token handshake, idle,
// assignment, acknowledged epoch reports), and one dashboard client subscribed to the sweep's room that times each
// epoch from the agent's send to its own receipt.
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { DashboardClientEvents, DashboardServerEvents, WorkerAck, WorkerClientEvents, WorkerServerEvents } from "../../server/realtime/events";
import type { EpochMetrics } from "../../server/training/types";

export interface LoadOptions {
  url: string;
  token: string;
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

  const dashboard: Socket<DashboardServerEvents, DashboardClientEvents> = io(options.url, { transports: ["websocket"] });
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
      auth: { token: options.token, id: randomUUID(), name: `bench-agent-${index + 1}`, backend: "bench", busyWith: null },
      transports: ["websocket"],
    });
    const assigned = new Promise<{ trialId: string; attempt: number }>((resolve) => socket.once("trial:assign", resolve));
    socket.on("connect", () => socket.emit("worker:idle"));
    const job = await assigned;
    let epoch = 0;
    const sendNext = (): void => {
      if (stopping) return;
      epoch += 1;
      const key = `${job.trialId}:${epoch}`;
      sentAt.set(key, performance.now());
      const done = socket
        .emitWithAck("trial:epoch", { trialId: job.trialId, attempt: job.attempt, epoch, metrics: metricsFor(epoch) })
        .then((ack: WorkerAck) => {
          inFlight.delete(done);
          if (!ack.ok) return void refusals.push(ack.error);
          ackedTotal += 1;
          if (measuring) ackedCount += 1;
          sendNext();
        });
      inFlight.add(done);
    };
    for (let i = 0; i < options.window; i++) sendNext();
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
