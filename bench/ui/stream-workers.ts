// Fake worker agents on the real worker protocol (worker token handshake, worker:idle → trial:assign, acknowledged
// trial:epoch reports): one socket per trial, so each holds the lease of the trial it streams into, and a pacer
// that sends N reports per second in total across them. Every send is stamped with Date.now(), the clock the page's
// recorder uses too (same machine).
import { io, type Socket } from "socket.io-client";
import { WORKER_NAMESPACE, WORKER_SOCKET_PATH, type WorkerAck, type WorkerClientEvents, type WorkerServerEvents } from "../../server/realtime/events";
import type { EpochMetrics } from "../../server/training/types";
import { withTimeout } from "../shared/timeout";

type WorkerSocket = Socket<WorkerServerEvents, WorkerClientEvents>;

export interface Claim {
  trialId: string;
  attempt: number;
}

export interface Send {
  trialId: string;
  epoch: number;
  sentAt: number;
  /** Date.now() when the server acknowledged it (stored), or null when it never did. */
  ackedAt: number | null;
}

/** The value the page should show for an epoch: val_accuracy = epoch / 1000, distinct per epoch at 3 decimals. */
export const accuracyAt = (epoch: number) => epoch / 1000;

function metricsAt(epoch: number): EpochMetrics {
  const accuracy = accuracyAt(epoch);
  return { loss: 1 - accuracy, accuracy, val_loss: 1.05 - accuracy, val_accuracy: accuracy, duration_ms: 1, images_per_sec: 1000, learning_rate: 0.001 };
}

export interface StreamWorkers {
  /** Waits until every socket holds a trial (after the sweep is resumed). */
  claimed(timeoutMs: number): Promise<Claim[]>;
  /** Sends `perSecond` reports in total for `seconds`, round-robin over the claimed trials; resolves when all are acked. */
  stream(perSecond: number, seconds: number): Promise<{ sends: Send[]; acked: number; refused: string[]; ack_p95_ms: number | null; sent_per_s: number }>;
  close(): void;
}

export async function connectStreamWorkers(url: string, token: string, count: number, timeoutMs: number): Promise<StreamWorkers> {
  const claims = new Map<WorkerSocket, Claim>();
  const sockets: WorkerSocket[] = [];
  let heartbeat: NodeJS.Timeout | null = null;
  const connected = Array.from({ length: count }, (_, i) => {
    const socket: WorkerSocket = io(url + WORKER_NAMESPACE, {
      path: WORKER_SOCKET_PATH,
      extraHeaders: { authorization: `Bearer ${token}` },
      auth: { name: `bench-ui-${i + 1}`, backend: "bench", busyWith: null },
      transports: ["websocket"],
      reconnection: false,
    });
    sockets.push(socket);
    socket.on("trial:assign", (job) => claims.set(socket, { trialId: job.trialId, attempt: job.attempt }));
    return new Promise<void>((resolve, reject) => {
      socket.once("connect", () => {
        socket.emit("worker:idle");
        resolve();
      });
      socket.once("connect_error", (e) => reject(new Error(`worker socket refused: ${e.message}`)));
    });
  });
  await withTimeout(Promise.all(connected), timeoutMs, "connecting the stream workers");
  // Leases last 10 s: keep them while the page is being prepared, before the first epoch extends them.
  heartbeat = setInterval(() => {
    for (const [socket, claim] of claims) socket.emit("trial:heartbeat", { trialId: claim.trialId });
  }, 2000);

  return {
    async claimed(ms) {
      const deadline = Date.now() + ms;
      while (claims.size < count) {
        if (Date.now() > deadline) throw new Error(`only ${claims.size} of ${count} workers got a trial within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return [...claims.values()];
    },
    async stream(perSecond, seconds) {
      const holders = [...claims.entries()];
      const next = new Map(holders.map(([, c]) => [c.trialId, 0]));
      const sends: Send[] = [];
      const acks: Promise<void>[] = [];
      const ackMs: number[] = [];
      const refused: string[] = [];
      let acked = 0;
      let sent = 0;
      const started = performance.now();
      await new Promise<void>((resolve) => {
        const pace = setInterval(() => {
          const elapsed = (performance.now() - started) / 1000;
          const due = Math.min(Math.floor(elapsed * perSecond), Math.floor(seconds * perSecond));
          for (; sent < due; sent++) {
            const [socket, claim] = holders[sent % holders.length];
            const epoch = next.get(claim.trialId)! + 1;
            next.set(claim.trialId, epoch);
            const sentAt = Date.now();
            const t0 = performance.now();
            const send: Send = { trialId: claim.trialId, epoch, sentAt, ackedAt: null };
            sends.push(send);
            acks.push(
              withTimeout(socket.emitWithAck("trial:epoch", { trialId: claim.trialId, attempt: claim.attempt, epoch, metrics: metricsAt(epoch) }), 60_000, "epoch ack").then(
                (ack: WorkerAck) => {
                  ackMs.push(performance.now() - t0);
                  send.ackedAt = Date.now();
                  if (ack.ok) acked += 1;
                  else if (refused.length < 20) refused.push(ack.error);
                },
                (e: Error) => void (refused.length < 20 && refused.push(e.message)),
              ),
            );
          }
          if (elapsed >= seconds) {
            clearInterval(pace);
            resolve();
          }
        }, 5);
      });
      const sentPerS = sends.length / ((performance.now() - started) / 1000);
      await Promise.all(acks);
      ackMs.sort((a, b) => a - b);
      return { sends, acked, refused, ack_p95_ms: ackMs.length ? Math.round(ackMs[Math.floor(ackMs.length * 0.95)]) : null, sent_per_s: Math.round(sentPerS) };
    },
    close() {
      if (heartbeat) clearInterval(heartbeat);
      for (const socket of sockets) socket.disconnect();
    },
  };
}
