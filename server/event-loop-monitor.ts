// How long this process's event loop was blocked: while it is, nothing is served (requests, worker heartbeats,
// lease renewals). perf_hooks samples the delay of a timer every `resolution` ms; each interval's percentiles are
// kept for /api/health, and an interval whose p99 is over the threshold is logged (at most once per `logEveryMs`).
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

export interface EventLoopLag {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface EventLoopMonitor {
  /** The last completed interval (before the first one completes: what was sampled so far). */
  lag(): EventLoopLag;
  stop(): void;
}

export interface EventLoopMonitorOptions {
  resolutionMs?: number;
  intervalMs?: number;
  thresholdMs?: number;
  logEveryMs?: number;
  log?: (message: string) => void;
  now?: () => number;
  /** Tests pass their own figures. */
  histogram?: Pick<IntervalHistogram, "count" | "percentile" | "max" | "reset" | "enable" | "disable">;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** The histogram's figures in milliseconds (it counts nanoseconds; an empty one reports 0). Its samples are timer
 *  delays, which include the sampling interval itself (an idle loop samples ~resolution): that is subtracted. */
export function lagOf(histogram: Pick<IntervalHistogram, "count" | "percentile" | "max">, resolutionMs = 0): EventLoopLag {
  if (histogram.count === 0) return { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const ms = (ns: number) => round(Math.max(0, ns / 1e6 - resolutionMs));
  return { p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
}

export function startEventLoopMonitor(options: EventLoopMonitorOptions = {}): EventLoopMonitor & { rollOver(): void } {
  const { resolutionMs = 20, intervalMs = 10_000, thresholdMs = 100, logEveryMs = 60_000, log = () => {}, now = Date.now } = options;
  const histogram = options.histogram ?? monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let last: EventLoopLag | null = null;
  let loggedAt = -Infinity;
  // Ends an interval: its figures become the reported ones and sampling starts afresh.
  const rollOver = () => {
    last = lagOf(histogram, resolutionMs);
    histogram.reset();
    if (last.p99Ms > thresholdMs && now() - loggedAt >= logEveryMs) {
      loggedAt = now();
      log(`event loop lag over the last ${intervalMs / 1000} s: p50 ${last.p50Ms} ms, p99 ${last.p99Ms} ms, max ${last.maxMs} ms (over ${thresholdMs} ms: something blocks the server)`);
    }
  };
  const timer = setInterval(rollOver, intervalMs);
  timer.unref();
  return {
    lag: () => last ?? lagOf(histogram, resolutionMs),
    rollOver,
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}

let shared: EventLoopMonitor | null = null;

/** The process's one monitor, started on first use (several servers in one process, as in tests, share it). */
export function processEventLoopMonitor(log?: (message: string) => void): EventLoopMonitor {
  shared ??= startEventLoopMonitor({ log });
  return shared;
}
