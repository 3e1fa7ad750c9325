"use client";
// Loads a sweep's analysis (importance, history, parallel coordinates, slices) for the Analysis section: when the
// section first shows, then again ~1 s after trials finish. The trigger is the sweep summary's finished counts,
// which useSweepLive keeps current from Socket.IO pushes (sweep:updated) and reconnects — no polling timer.
import { useEffect, useRef, useState } from "react";
import { requestJson } from "./api-client";
import { createAnalysisRefresher, type AnalysisRefresher } from "./analysis-refresh";
import type { SweepAnalysis } from "./analysis-view";
import { analysisApiUrl } from "./urls";

export interface SweepAnalysisState {
  analysis: SweepAnalysis | null;
  error: string | null;
  /** A request is in flight (the first load, or a refresh while the last analysis stays on screen). */
  loading: boolean;
}

export function useSweepAnalysis(sweepId: string, { visible, finishedKey }: { visible: boolean; finishedKey: string }): SweepAnalysisState {
  const [state, setState] = useState<SweepAnalysisState>({ analysis: null, error: null, loading: false });
  const refresher = useRef<AnalysisRefresher | null>(null);
  const latest = useRef({ visible, finishedKey });
  latest.current = { visible, finishedKey };

  useEffect(() => {
    let disposed = false;
    let requested = 0;
    let applied = 0;
    // Responses can come back out of order: only a newer request's answer replaces what is shown.
    const load = async () => {
      const request = ++requested;
      setState((s) => ({ ...s, loading: true }));
      try {
        const analysis = await requestJson<SweepAnalysis>(analysisApiUrl(sweepId));
        if (disposed || request < applied) return;
        applied = request;
        setState({ analysis, error: null, loading: request < requested });
      } catch (e) {
        if (disposed || request < applied) return;
        setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), loading: request < requested }));
      }
    };
    const r = createAnalysisRefresher(() => void load());
    r.trialsChanged(latest.current.finishedKey);
    if (latest.current.visible) r.show();
    refresher.current = r;
    return () => {
      disposed = true;
      r.dispose();
      refresher.current = null;
    };
  }, [sweepId]);

  useEffect(() => refresher.current?.trialsChanged(finishedKey), [finishedKey]);
  useEffect(() => {
    if (visible) refresher.current?.show();
  }, [visible]);

  return state;
}
