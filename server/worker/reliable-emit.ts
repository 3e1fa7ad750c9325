// Sends a report and waits for the server's acknowledgement, retrying through timeouts and reconnects.
// Reports are idempotent on the server, so a retry after a lost ack stores nothing twice.
import type { Socket } from "socket.io-client";
import { RETRY_ERROR, type WorkerAck } from "../realtime/events";

export async function emitUntilAcked(
  socket: Socket,
  event: string,
  payload: unknown,
  options: { timeoutMs: number; retryDelayMs: number; isCancelled: () => boolean },
): Promise<WorkerAck> {
  for (;;) {
    if (options.isCancelled()) return { ok: false, error: "worker stopped" };
    if (!socket.connected) {
      await new Promise<void>((resolve) => {
        const done = () => (clearTimeout(timer), socket.off("connect", done), resolve());
        const timer = setTimeout(done, options.retryDelayMs * 10);
        socket.once("connect", done);
      });
      continue;
    }
    try {
      const reply = (await socket.timeout(options.timeoutMs).emitWithAck(event, payload)) as WorkerAck;
      if (reply.ok || reply.error !== RETRY_ERROR) return reply;
    } catch {
      // timed out: the server may or may not have stored it; sending again is safe.
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
  }
}
