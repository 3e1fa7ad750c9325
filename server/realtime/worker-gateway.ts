// The "/workers" namespace: authenticates worker agents, registers them, and feeds their reports to the scheduler.
import { timingSafeEqual } from "node:crypto";
import type { Namespace, Socket } from "socket.io";
import type { EpochIngest } from "../scheduler/epoch-ingest";
import type { Scheduler } from "../scheduler/scheduler";
import type { WorkerHandle, WorkerRegistry } from "../scheduler/worker-registry";
import { RETRY_ERROR, type WorkerAck, type WorkerClientEvents, type WorkerServerEvents } from "./events";
import { completeReportSchema, describeIssues, epochReportSchema, failedReportSchema, trialIdSchema, workerHelloSchema } from "./payload-schemas";
import type { z } from "zod";

type WorkerSocket = Socket<WorkerClientEvents, WorkerServerEvents>;

export function attachWorkerGateway(
  namespace: Namespace<WorkerClientEvents, WorkerServerEvents>,
  options: { token: string; leaseMs: number; scheduler: Scheduler; epochs: EpochIngest; workers: WorkerRegistry; log: (message: string) => void },
): void {
  const { scheduler, epochs, workers, log } = options;

  namespace.use((socket, next) => {
    const hello = workerHelloSchema.safeParse(socket.handshake.auth);
    if (!hello.success) return next(new Error(describeIssues(hello.error)));
    if (!sameSecret(hello.data.token, options.token)) return next(new Error("invalid worker token"));
    socket.data.hello = hello.data;
    next();
  });

  namespace.on("connection", (socket: WorkerSocket) => {
    const hello = socket.data.hello as z.infer<typeof workerHelloSchema>;
    const handle: WorkerHandle = {
      id: hello.id,
      name: hello.name,
      backend: hello.backend,
      device: hello.device ?? "unknown",
      memoryBytes: hello.memoryBytes ?? null,
      cores: hello.cores ?? null,
      connectedAt: new Date(),
      busyWith: hello.busyWith ?? null,
      wantsWork: false,
      assign: (job) => socket.emit("trial:assign", job),
      stop: (trialId, reason) => socket.emit("trial:stop", { trialId, reason }),
    };
    workers.add(handle);
    socket.emit("worker:welcome", { heartbeatMs: Math.max(100, Math.floor(options.leaseMs / 2)) });
    log(`worker ${hello.name} connected (${hello.backend})`);

    socket.on("worker:idle", () => void scheduler.workerIdle(handle.id));
    socket.on("trial:heartbeat", (payload) => {
      const parsed = trialIdSchema.safeParse(payload);
      if (parsed.success) void scheduler.heartbeat(handle.id, parsed.data.trialId);
    });
    // Group-committed with other workers' reports; acknowledged once committed.
    socket.on("trial:epoch", (payload, ack) => answer(epochReportSchema, payload, ack, (p) => epochs.submit(handle.id, p)));
    socket.on("trial:complete", (payload, ack) =>
      answer(completeReportSchema, payload, ack, (p) => scheduler.completeTrial(handle.id, p)),
    );
    socket.on("trial:failed", (payload, ack) =>
      answer(failedReportSchema, payload, ack, (p) => scheduler.failTrial(handle.id, p)),
    );
    socket.on("disconnect", (reason) => {
      workers.remove(handle);
      log(`worker ${hello.name} disconnected (${reason})`);
    });
  });

  /** Validates, runs, and always acknowledges: the worker retries until it hears back. */
  function answer<S extends z.ZodTypeAny>(
    schema: S,
    payload: unknown,
    ack: unknown,
    run: (parsed: z.infer<S>) => Promise<WorkerAck>,
  ): void {
    const reply = typeof ack === "function" ? (ack as (r: WorkerAck) => void) : () => {};
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return reply({ ok: false, error: describeIssues(parsed.error) });
    run(parsed.data).then(reply, (error: Error) => {
      log(`worker report failed: ${error.stack ?? error.message}`);
      // Not acknowledged as stored: the worker will retry.
      reply({ ok: false, error: RETRY_ERROR });
    });
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
