// Drives the socket half of the fuzz: a worker holding real trials, an intruder worker (same token, other socket),
// an idler that asks for work, and a dashboard client. Messages are paced under the server's per-socket budgets
// (message-budget.ts), so a "retry" answer can only mean the server failed, never that a bucket ran dry, and no
// socket is dropped for flooding.
import type { Socket } from "socket.io-client";
import { RETRY_ERROR } from "../../server/realtime/events";
import { WORKER_MESSAGE_RULES, type WorkerMessageKind } from "../../server/realtime/message-budget";
import type { TrainJob } from "../../server/training/types";
import { dashboardSocket, rawWorkerSocket } from "./auth";
import { createRng } from "./fuzz-values";
import { generateSocketMessage, type HeldTrial, type Sender, type SocketFuzzContext, type SocketMessage } from "./fuzz-sockets";

export interface FuzzSockets {
  bySender: Record<Sender, Socket>;
  held: HeldTrial[];
  /** "sender: reason" for every disconnect seen. */
  disconnects: string[];
  close(): void;
}

const ACK_EVENTS = new Set(["trial:epoch", "trial:complete", "trial:failed", "sweep:subscribe"]);

function connected(socket: Socket, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} socket did not connect`)), 20_000);
    socket.once("connect", () => (clearTimeout(timer), resolve()));
    socket.once("connect_error", (error) => (clearTimeout(timer), reject(new Error(`${name} socket: ${error.message}`))));
  });
}

/** Connects the four sockets; the holder asks for work `trials` times and keeps what it is assigned. */
export async function connectFuzzSockets(url: string, workerToken: string, apiToken: string, trials = 1): Promise<FuzzSockets> {
  const bySender: Record<Sender, Socket> = {
    holder: rawWorkerSocket(url, workerToken, { name: "fuzz-holder", backend: "test" }),
    intruder: rawWorkerSocket(url, workerToken, { name: "fuzz-intruder", backend: "test" }),
    idler: rawWorkerSocket(url, workerToken, { name: "fuzz-idler", backend: "test" }),
    dashboard: dashboardSocket(url, apiToken) as unknown as Socket,
  };
  // Reconnecting would hand the holder a new worker id (its trials lost): a disconnect is recorded, not hidden.
  for (const socket of Object.values(bySender)) socket.io.reconnection(false);
  await Promise.all(Object.entries(bySender).map(([name, socket]) => connected(socket, name)));
  const disconnects: string[] = [];
  for (const [name, socket] of Object.entries(bySender)) socket.on("disconnect", (reason) => disconnects.push(`${name}: ${reason}`));
  const held: HeldTrial[] = [];
  for (let i = 0; i < trials; i++) {
    const job = await new Promise<TrainJob>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the holder was assigned no trial")), 20_000);
      bySender.holder.once("trial:assign", (assigned: TrainJob) => (clearTimeout(timer), resolve(assigned)));
      bySender.holder.emit("worker:idle");
    });
    held.push({ trialId: job.trialId, attempt: job.attempt, epochs: Number(job.params.epochs ?? 3) });
  }
  return { bySender, held, disconnects, close: () => Object.values(bySender).forEach((s) => s.disconnect()) };
}

/** A client-side mirror of the server's token buckets, with a margin. */
function createPacer() {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (sender: Sender, kind: string): Promise<void> => {
    const rule = (WORKER_MESSAGE_RULES as Record<string, { burst: number; perSecond: number }>)[kind as WorkerMessageKind];
    if (!rule || sender === "dashboard") return;
    const burst = Math.max(1, rule.burst - 2);
    const rate = rule.perSecond * 0.8;
    const key = `${sender}:${kind}`;
    for (;;) {
      const now = performance.now();
      const b = buckets.get(key) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) return void (b.tokens -= 1);
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - b.tokens) / rate) * 1000)));
    }
  };
}

export interface EventTally {
  sent: number;
  ok: number;
  refused: number;
  retry: number;
  timeout: number;
  /** No ack asked for, or the event has none. */
  unacked: number;
  /** Sent with no payload or several: the handlers read (payload, ack), so the ack (the last argument) is not
   *  theirs to call; not waited for. */
  oddArity: number;
}

export interface SocketFuzzReport {
  messages: number;
  byEvent: Record<string, EventTally>;
  /** A hopeless report acknowledged as stored. */
  acceptedHopeless: number;
  /** A hopeless report answered "retry": the agent would send it forever. */
  retryHopeless: number;
  /** An ack that is neither { ok: true } nor { ok: false, error: string }. */
  malformedAcks: number;
  timeouts: number;
  firstViolations: string[];
  /** Refusal reasons seen (first 80 characters), with counts, to read what the server says. */
  refusals: Record<string, number>;
  elapsedMs: number;
}

function describeMessage(m: SocketMessage): string {
  const args = JSON.stringify(m.args) ?? "undefined";
  return `${m.sender} ${m.event} [${m.kind}] ${args.length > 240 ? `${args.slice(0, 240)}… (${args.length} chars)` : args}`;
}

const isAck = (value: unknown): value is { ok: true } | { ok: false; error: string } =>
  typeof value === "object" && value !== null && ((value as { ok?: unknown }).ok === true || ((value as { ok?: unknown }).ok === false && typeof (value as { error?: unknown }).error === "string"));

export async function runSocketFuzz(options: { sockets: FuzzSockets; seed: number; count: number; ctx: SocketFuzzContext; window?: number; ackTimeoutMs?: number }): Promise<SocketFuzzReport> {
  const { sockets, ctx } = options;
  const rng = createRng(options.seed);
  const pace = createPacer();
  const window = options.window ?? 16;
  const ackTimeoutMs = options.ackTimeoutMs ?? 15_000;
  const report: SocketFuzzReport = { messages: 0, byEvent: {}, acceptedHopeless: 0, retryHopeless: 0, malformedAcks: 0, timeouts: 0, firstViolations: [], refusals: {}, elapsedMs: 0 };
  const violation = (what: string, m: SocketMessage, detail: string) => {
    if (report.firstViolations.length < 8) report.firstViolations.push(`${what}: ${describeMessage(m)} → ${detail}`);
  };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let i = 0; i < options.count; i++) {
    const m = generateSocketMessage(rng, ctx);
    await pace(m.sender, m.event);
    while (inFlight.size >= window) await Promise.race(inFlight);
    const tally = (report.byEvent[m.event] ??= { sent: 0, ok: 0, refused: 0, retry: 0, timeout: 0, unacked: 0, oddArity: 0 });
    tally.sent++;
    report.messages++;
    const socket = sockets.bySender[m.sender] as unknown as { emit(event: string, ...args: unknown[]): void; connected: boolean };
    if (!socket.connected) continue;
    if (!ACK_EVENTS.has(m.event) || !m.withAck) {
      socket.emit(m.event, ...m.args);
      tally.unacked++;
      continue;
    }
    if (m.args.length !== 1) {
      socket.emit(m.event, ...m.args, () => {});
      tally.oddArity++;
      continue;
    }
    const answered = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        tally.timeout++;
        report.timeouts++;
        violation("no ack", m, `nothing within ${ackTimeoutMs} ms`);
        resolve();
      }, ackTimeoutMs);
      socket.emit(m.event, ...m.args, (ack: unknown) => {
        clearTimeout(timer);
        resolve();
        if (!isAck(ack)) {
          report.malformedAcks++;
          return violation("malformed ack", m, JSON.stringify(ack));
        }
        if (ack.ok) {
          tally.ok++;
          if (m.hopeless) (report.acceptedHopeless++, violation("accepted", m, "{ ok: true }"));
          return;
        }
        tally.refused++;
        const reason = ack.error.slice(0, 80);
        report.refusals[`${m.event}: ${reason}`] = (report.refusals[`${m.event}: ${reason}`] ?? 0) + 1;
        if (ack.error === RETRY_ERROR) {
          tally.retry++;
          if (m.hopeless) (report.retryHopeless++, violation("retry", m, RETRY_ERROR));
        }
      });
    });
    const tracked = answered.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}
