"use client";
// Keeps one sweep's detail live: a snapshot from the REST API plus pushed Socket.IO events, never polling.
// Every (re)connect subscribes first and fetches a snapshot after the server's ack, so nothing emitted while the
// page was loading or disconnected is missed; events that race the snapshot are merged by sweep-state.ts.
import { useCallback, useEffect, useReducer, useState } from "react";
import type { SweepDetail } from "../../server/sweeps/types";
import { requestJson } from "./api-client";
import { connectDashboard, subscribeToSweep } from "./socket";
import { sweepApiUrl } from "./urls";
import { initialSweepState, sweepReducer } from "./sweep-state";

export type Connection = "connecting" | "live" | "reconnecting";

export interface SweepLive {
  detail: SweepDetail | null;
  /** Why the snapshot could not be loaded (not found, server down). */
  error: string | null;
  connection: Connection;
  /** Records a promotion done from this page, before the server's trial:updated arrives. */
  markPromoted(trialId: string, modelId: string): void;
}

/** A safety net only: normally the first snapshot is fetched right after the subscription is acknowledged,
 *  so a page load costs exactly one GET. */
const SNAPSHOT_FALLBACK_MS = 5000;

export function useSweepLive(sweepId: string): SweepLive {
  const [state, dispatch] = useReducer(sweepReducer, sweepId, initialSweepState);
  const [error, setError] = useState<string | null>(null);
  const [connection, setConnection] = useState<Connection>("connecting");

  useEffect(() => {
    let disposed = false;
    let requested = 0;
    let applied = 0;

    // Responses can come back out of order: only a newer request's snapshot may replace the sweep summary.
    const loadSnapshot = async () => {
      const request = ++requested;
      try {
        const detail = await requestJson<SweepDetail>(sweepApiUrl(sweepId));
        if (disposed || request < applied) return;
        applied = request;
        setError(null);
        dispatch({ type: "snapshot", detail });
      } catch (e) {
        if (!disposed && request >= applied) setError(e instanceof Error ? e.message : String(e));
      }
    };

    const socket = connectDashboard();
    const fallback = setTimeout(() => requested === 0 && void loadSnapshot(), SNAPSHOT_FALLBACK_MS);

    socket.on("connect", async () => {
      const ack = await subscribeToSweep(socket, sweepId);
      if (disposed) return;
      if (!ack.ok) console.warn(`sweep:subscribe refused: ${ack.error}`);
      setConnection(ack.ok ? "live" : "reconnecting");
      void loadSnapshot();
    });
    socket.on("disconnect", () => !disposed && setConnection("reconnecting"));
    socket.on("connect_error", () => {
      if (disposed) return;
      setConnection("reconnecting");
      if (requested === 0) void loadSnapshot();
    });
    socket.on("sweep:updated", ({ sweep }) => dispatch({ type: "sweep:updated", sweep }));
    socket.on("trial:updated", ({ sweepId: id, trial }) => dispatch({ type: "trial:updated", sweepId: id, trial }));
    socket.on("trial:epochs", ({ sweepId: id, epochs }) => {
      for (const { trialId, record } of epochs) dispatch({ type: "trial:epoch", sweepId: id, trialId, record });
    });

    return () => {
      disposed = true;
      clearTimeout(fallback);
      if (socket.connected) socket.emit("sweep:unsubscribe", { sweepId });
      socket.disconnect();
    };
  }, [sweepId]);

  const markPromoted = useCallback((trialId: string, modelId: string) => dispatch({ type: "trial:promoted", trialId, modelId }), []);

  return { detail: state.detail, error, connection, markPromoted };
}
