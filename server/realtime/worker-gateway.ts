// The "/workers" namespace: authenticates worker agents, registers them, and feeds their reports to the scheduler.
// The worker token was checked at the handshake (socket-servers.ts); here the server assigns the worker's id and binds
// it to this socket and token: a reconnecting agent gets its id back only with the ticket the server gave it.
import { createHmac, randomUUID } from "node:crypto";
import type { Namespace, Socket } from "socket.io";
import { sameSecret } from "../auth/token-store";
import type { Principal } from "../http/access";
import type { EpochIngest } from "../scheduler/epoch-ingest";
import type { Scheduler } from "../scheduler/scheduler";
import type { WorkerHandle, WorkerRegistry } from "../scheduler/worker-registry";
import { RETRY_ERROR, type WorkerAck, type WorkerClientEvents, type WorkerServerEvents } from "./events";
import { createMessageBudget, FLOOD_DROPS, WORKER_MESSAGE_RULES, type WorkerMessageKind } from "./message-budget";
import { completeReportSchema, describeIssues, epochReportSchema, failedReportSchema, trialIdSchema, workerHelloSchema } from "./payload-schemas";
import { describeReportFailure, permanentReportError } from "./report-errors";
import { withAck, type Reply } from "./socket-args";
import { principalOfRequest } from "./socket-servers";
import type { z } from "zod";

type WorkerSocket = Socket<WorkerClientEvents, WorkerServerEvents>;
type WorkerToken = Extract<Principal, { kind: "token" }>;
interface WorkerSocketData {
  hello: z.infer<typeof workerHelloSchema>;
  token: WorkerToken;
  workerId: string;
}

export interface WorkerGatewayOptions {
  leaseMs: number;
  scheduler: Scheduler;
  epochs: EpochIngest;
  workers: WorkerRegistry;
  /** Signs resume tickets (the server secret). */
  secret: string;
  log: (message: string) => void;
}

export interface WorkerGateway {
  /** Disconnects every worker that authenticated with this token (it was revoked). */
  dropToken(tokenId: string): void;
  /** The token ids of the connected workers. */
  tokenIds(): string[];
}

export function attachWorkerGateway(namespace: Namespace<WorkerClientEvents, WorkerServerEvents>, options: WorkerGatewayOptions): WorkerGateway {
  const { scheduler, epochs, workers, log } = options;
  const sockets = new Map<string, WorkerSocket>();
  const ticketFor = (workerId: string, tokenId: string) => createHmac("sha256", options.secret).update(`worker:${workerId}:${tokenId}`).digest("base64url");

  namespace.use((socket, next) => {
    const principal = principalOfRequest(socket.request);
    if (principal?.kind !== "token" || principal.scope !== "worker") return next(new Error("a worker token is required"));
    const hello = workerHelloSchema.safeParse(socket.handshake.auth);
    if (!hello.success) return next(new Error(describeIssues(hello.error)));
    const resume = hello.data.resume;
    const resumed = resume && sameSecret(resume.ticket, ticketFor(resume.workerId, principal.tokenId)) ? resume.workerId : null;
    socket.data = { hello: hello.data, token: principal, workerId: resumed ?? randomUUID() } satisfies WorkerSocketData;
    next();
  });

  namespace.on("connection", (socket: WorkerSocket) => {
    const { hello, token, workerId } = socket.data as WorkerSocketData;
    // The same agent reconnecting over a half-open connection: the new socket wins.
    sockets.get(workerId)?.disconnect(true);
    sockets.set(workerId, socket);
    const handle: WorkerHandle = {
      id: workerId,
      name: hello.name,
      backend: hello.backend,
      device: hello.device ?? "unknown",
      memoryBytes: hello.memoryBytes ?? null,
      cores: hello.cores ?? null,
      connectedAt: new Date(),
      busyWith: hello.busyWith ?? null,
      wantsWork: false,
      assign: (job) => socket.emit("trial:assign", job),
      stop: (trialId, reason, options) => socket.emit("trial:stop", { trialId, reason, ...(options?.keepModel && { keepModel: true }) }),
    };
    workers.add(handle);
    const heartbeatMs = Math.max(100, Math.floor(options.leaseMs / 2));
    socket.emit("worker:welcome", { heartbeatMs, workerId, ticket: ticketFor(workerId, token.tokenId) });
    log(`worker ${hello.name} connected (${hello.backend})`);

    const budget = createMessageBudget();
    const allowed = (kind: WorkerMessageKind): boolean => {
      if (budget.take(kind)) return true;
      if (budget.dropped === FLOOD_DROPS) {
        log(`worker ${hello.name}: disconnected for flooding (${FLOOD_DROPS} messages over its budget)`);
        socket.disconnect(true);
      }
      return false;
    };
    /** A report over budget is not stored: "retry" makes an honest agent send it again later. */
    const limited = (kind: WorkerMessageKind, reply: Reply<WorkerAck>) => {
      if (allowed(kind)) return false;
      reply({ ok: false, error: RETRY_ERROR });
      return true;
    };
    // A lease is renewed at most every quarter heartbeat per trial, whatever the agent sends.
    const renewedAt = new Map<string, number>();

    // "idle" is idempotent, so one over its pace is deferred, not dropped: an agent whose trials are shorter than
    // the pace's period sends a single idle per trial and would otherwise wait for work forever. Repeats while one
    // is deferred change nothing and count toward flooding.
    const idlePace = createMessageBudget({ "worker:idle": WORKER_MESSAGE_RULES["worker:idle"] });
    let idleDeferred: NodeJS.Timeout | null = null;
    socket.on("worker:idle", () => {
      if (idleDeferred) return void allowed("worker:idle");
      if (idlePace.take("worker:idle")) return void scheduler.workerIdle(handle.id);
      idleDeferred = setTimeout(() => {
        idleDeferred = null;
        void scheduler.workerIdle(handle.id);
      }, 1000 / WORKER_MESSAGE_RULES["worker:idle"].perSecond);
    });
    socket.on("trial:heartbeat", (payload) => {
      const parsed = trialIdSchema.safeParse(payload);
      if (!parsed.success || !allowed("trial:heartbeat")) return;
      const now = Date.now();
      if (now - (renewedAt.get(parsed.data.trialId) ?? 0) < heartbeatMs / 4) return;
      renewedAt.clear();
      renewedAt.set(parsed.data.trialId, now);
      void scheduler.heartbeat(handle.id, parsed.data.trialId);
    });
    // Group-committed with other workers' reports; acknowledged once committed.
    socket.on("trial:epoch", withAck<WorkerAck>((payload, reply) => limited("trial:epoch", reply) || answer(epochReportSchema, payload, reply, (p) => epochs.submit(handle.id, p))));
    socket.on("trial:complete", withAck<WorkerAck>((payload, reply) => limited("trial:complete", reply) || answer(completeReportSchema, payload, reply, (p) => scheduler.completeTrial(handle.id, p))));
    socket.on("trial:failed", withAck<WorkerAck>((payload, reply) => limited("trial:failed", reply) || answer(failedReportSchema, payload, reply, (p) => scheduler.failTrial(handle.id, p))));
    socket.on("disconnect", (reason) => {
      if (idleDeferred) clearTimeout(idleDeferred);
      if (sockets.get(workerId) === socket) sockets.delete(workerId);
      workers.remove(handle);
      log(`worker ${hello.name} disconnected (${reason})`);
    });
  });

  return {
    dropToken(tokenId) {
      for (const socket of sockets.values()) if ((socket.data as WorkerSocketData).token.tokenId === tokenId) socket.disconnect(true);
    },
    tokenIds: () => [...new Set([...sockets.values()].map((socket) => (socket.data as WorkerSocketData).token.tokenId))],
  };

  /** Validates, runs, and always acknowledges: the worker retries until it hears back. */
  function answer<S extends z.ZodTypeAny>(
    schema: S,
    payload: unknown,
    reply: Reply<WorkerAck>,
    run: (parsed: z.infer<S>) => Promise<WorkerAck>,
  ): void {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return reply({ ok: false, error: describeIssues(parsed.error) });
    run(parsed.data).then(reply, (error: Error) => {
      // Data the database can never store is refused with a reason; anything else is not acknowledged as stored,
      // so the worker retries. Logged bounded: drizzle's error text quotes every parameter (model JSON included).
      const permanent = permanentReportError(error);
      log(`worker report ${permanent ? "refused" : "failed"}: ${describeReportFailure(error)}`);
      reply({ ok: false, error: permanent ?? RETRY_ERROR });
    });
  }
}
