"use client";
// Keeps one sweep page live: a bounded snapshot from the REST API plus pushed Socket.IO events, never polling.
// The snapshot is read at once; every (re)connect subscribes and, after the server's ack, reads what changed since
// the cursor the page holds, so nothing emitted while the page was loading or disconnected is missed (see
// sweep-live-controller.ts, which does the reads; sweep-state.ts merges).
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { requestJson } from "./api-client";
import { createSweepLiveController, type SweepLiveController } from "./sweep-live-controller";
import { initialSweepState, type SweepState } from "./sweep-state";
import { connectDashboard, subscribeToSweep } from "./socket";

export type Connection = "connecting" | "live" | "reconnecting";

export interface SweepLive {
  state: SweepState;
  /** Null until the page has mounted (one per mount: React may mount twice in development). */
  controller: SweepLiveController | null;
  /** Why the snapshot could not be loaded (not found, server down). */
  error: string | null;
  connection: Connection;
}

export function useSweepLive(sweepId: string): SweepLive {
  const [error, setError] = useState<string | null>(null);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [controller, setController] = useState<SweepLiveController | null>(null);
  const [idle] = useState(() => initialSweepState(sweepId));
  const subscribe = useCallback((listener: () => void) => controller?.subscribe(listener) ?? (() => {}), [controller]);
  const getState = useCallback(() => controller?.getState() ?? idle, [controller, idle]);
  const state = useSyncExternalStore(subscribe, getState, getState);

  useEffect(() => {
    let disposed = false;
    const controller = createSweepLiveController({ sweepId, fetchJson: requestJson, onError: setError });
    setController(controller);
    const socket = connectDashboard();
    // The snapshot is read at once, in parallel with the socket's handshake; the first ack then catches up.
    void controller.loadSnapshotOnce();

    socket.on("connect", async () => {
      const ack = await subscribeToSweep(socket, sweepId);
      if (disposed) return;
      if (!ack.ok) console.warn(`sweep:subscribe refused: ${ack.error}`);
      setConnection(ack.ok ? "live" : "reconnecting");
      void controller.subscribed();
    });
    socket.on("disconnect", () => !disposed && setConnection("reconnecting"));
    socket.on("connect_error", () => {
      if (disposed) return;
      setConnection("reconnecting");
      void controller.loadSnapshotOnce();
    });
    socket.on("sweep:updated", ({ sweep }) => controller.push({ type: "sweep:updated", sweep }));
    socket.on("trial:updated", ({ sweepId: id, trial }) => controller.push({ type: "trial:updated", sweepId: id, trial }));
    socket.on("trial:epochs", ({ sweepId: id, epochs }) => {
      for (const { trialId, record } of epochs) controller.push({ type: "trial:epoch", sweepId: id, trialId, record });
    });

    return () => {
      disposed = true;
      if (socket.connected) socket.emit("sweep:unsubscribe", { sweepId });
      socket.disconnect();
      controller.dispose();
    };
  }, [sweepId]);

  return { state, controller, error, connection };
}
