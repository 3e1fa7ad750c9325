"use client";
// Keeps one sweep page live: a bounded snapshot from the REST API plus pushed Socket.IO events, never polling.
// Every (re)connect subscribes first and reads after the server's ack, so nothing emitted while the page was
// loading or disconnected is missed: the first time a snapshot, after a reconnect only what changed since the
// cursor the page holds (see sweep-live-controller.ts, which does the reads; sweep-state.ts merges).
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

/** A safety net only: normally the first snapshot is fetched right after the subscription is acknowledged,
 *  so a page load costs exactly one snapshot read. */
const SNAPSHOT_FALLBACK_MS = 5000;

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
    const fallback = setTimeout(() => void controller.loadSnapshotOnce(), SNAPSHOT_FALLBACK_MS);

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
      clearTimeout(fallback);
      if (socket.connected) socket.emit("sweep:unsubscribe", { sweepId });
      socket.disconnect();
      controller.dispose();
    };
  }, [sweepId]);

  return { state, controller, error, connection };
}
