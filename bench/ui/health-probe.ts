// Probes /api/health (no credentials: it answers {ok} to anyone) every few ms while something else loads the server,
// so a blocked event loop shows as slow probes. The prober runs in a worker thread: this process also drives the
// browser, and its own busy event loop would otherwise make probes late on the sending side. A probe that gets no
// answer is counted at its timeout.
import { Worker } from "node:worker_threads";
import { percentile } from "../shared/stats";

export interface HealthProbe {
  stop(): Promise<HealthFigures>;
}

export interface HealthFigures {
  probes: number;
  failed: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** The prober thread's event-loop delay p99: what the probes' own side added (the cores are shared). */
  prober_event_loop_p99_ms: number;
  /** The server's own event-loop figures, when /api/health reports them (read once at the end). */
  server_reports: unknown;
}

const round = (x: number) => Math.round(x * 10) / 10;

// Plain JS: a worker thread given source text (eval) is not compiled by tsx.
const PROBER = `
const { parentPort, workerData } = require("node:worker_threads");
const { monitorEventLoopDelay } = require("node:perf_hooks");
const { url, everyMs, timeoutMs } = workerData;
const durations = [];
const inFlight = new Set();
let failed = 0;
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const probe = () => {
  const started = performance.now();
  const done = fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    .then(async (r) => { await r.arrayBuffer(); if (!r.ok) failed += 1; })
    .catch(() => { failed += 1; })
    .finally(() => { durations.push(performance.now() - started); inFlight.delete(done); });
  inFlight.add(done);
};
const timer = setInterval(probe, everyMs);
probe();
parentPort.on("message", async () => {
  clearInterval(timer);
  await Promise.all([...inFlight]);
  lag.disable();
  parentPort.postMessage({ durations, failed, lagP99Ns: lag.percentile(99) });
});
`;

/** `reportToken` (an api token) is sent on the final read only, which then includes the server's event-loop lag. */
export function startHealthProbe(baseUrl: string, everyMs: number, reportToken?: string, timeoutMs = 60_000): HealthProbe {
  const worker = new Worker(PROBER, { eval: true, workerData: { url: `${baseUrl}/api/health`, everyMs, timeoutMs } });
  return {
    async stop() {
      const result = new Promise<{ durations: number[]; failed: number; lagP99Ns: number }>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      worker.postMessage("stop");
      const { durations, failed, lagP99Ns } = await result;
      await worker.terminate();
      const headers: Record<string, string> = reportToken ? { authorization: `Bearer ${reportToken}` } : {};
      const last = await fetch(`${baseUrl}/api/health`, { headers, signal: AbortSignal.timeout(timeoutMs) })
        .then((r) => r.json())
        .catch((e: Error) => ({ error: e.message }));
      return {
        probes: durations.length,
        failed,
        p50_ms: round(percentile(durations, 50)),
        p99_ms: round(percentile(durations, 99)),
        max_ms: round(Math.max(...durations)),
        prober_event_loop_p99_ms: round(lagP99Ns / 1e6),
        server_reports: last,
      };
    },
  };
}
