// The browser's Socket.IO connection, typed with the event maps the server uses.
import { io, type Socket } from "socket.io-client";
import type { DashboardClientEvents, DashboardServerEvents, SubscribeAck } from "../../server/realtime/events";

export type DashboardSocket = Socket<DashboardServerEvents, DashboardClientEvents>;

const ACK_TIMEOUT_MS = 5000;

/** Same origin, namespace "/" (the custom server serves Next and Socket.IO on one port). */
export function connectDashboard(): DashboardSocket {
  return io({ autoConnect: true, reconnection: true });
}

/** Joins the sweep's room; resolves with the server's answer, or an error when no answer comes in time. */
export async function subscribeToSweep(socket: DashboardSocket, sweepId: string): Promise<SubscribeAck> {
  try {
    return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("sweep:subscribe", { sweepId });
  } catch {
    return { ok: false, error: "no answer to sweep:subscribe" };
  }
}
