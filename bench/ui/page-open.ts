// Opens the sweep page in a tab and reads what the probe saw: ready (leaderboard and chart data-ready and visible),
// interactive (a click answered), the longest main-thread task, DOM size and JS heap (through CDP).
import type { BrowserContext, CDPSession, Page } from "playwright-core";
import { withTimeout } from "../shared/timeout";
import type { ProbeState } from "./page-probe";

/** Where the time to interactive went: the document's navigation timing and the page's API reads (ms since
 *  navigation start; bytes as transferred and decoded). */
export interface PageTimeline {
  response_start: number;
  dom_content_loaded: number;
  load: number;
  api: { path: string; start: number; end: number; transfer_bytes: number; decoded_bytes: number }[];
}

function readTimeline(): PageTimeline | null {
  const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  if (!nav) return null;
  const api = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
    .filter((r) => new URL(r.name).pathname.startsWith("/api/"))
    .slice(0, 20)
    .map((r) => ({ path: new URL(r.name).pathname + new URL(r.name).search, start: Math.round(r.startTime), end: Math.round(r.responseEnd), transfer_bytes: r.transferSize, decoded_bytes: r.decodedBodySize }));
  return { response_start: Math.round(nav.responseStart), dom_content_loaded: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd), api };
}

export interface PageFigures {
  /** ms from navigation start; null when it did not happen within the timeout. */
  ready_ms: number | null;
  interactive_ms: number | null;
  /** When a leaderboard/chart element (ready or not) and the first trial row were first visible: where a page stalls. */
  seen_ms: { first_row: number | null; leaderboard: number | null; chart: number | null };
  clicks_until_answered: number;
  longest_task_ms: number;
  long_tasks: number;
  dom_elements: number | null;
  dom_nodes: number | null;
  heap_used_bytes: number | null;
  heap_used_after_gc_bytes: number | null;
  timeline: PageTimeline | null;
  timed_out: boolean;
  error?: string;
}

const round = (x: number | null) => (x === null ? null : Math.round(x));

export async function pageMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

export async function readProbe(page: Page, timeoutMs: number): Promise<ProbeState | null> {
  return withTimeout(
    page.evaluate(() => (window as unknown as { __benchProbe?: ProbeState }).__benchProbe ?? null),
    timeoutMs,
    "reading the page probe",
  ).catch(() => null);
}

/** Heap and DOM size now, and the heap after a forced collection (what the page keeps, not what it has yet to free). */
export async function memoryOf(page: Page, cdp: CDPSession, timeoutMs: number) {
  const before = await withTimeout(pageMetrics(cdp), timeoutMs, "Performance.getMetrics");
  const elements = await withTimeout(page.evaluate(() => document.getElementsByTagName("*").length), timeoutMs, "counting elements");
  await withTimeout(cdp.send("HeapProfiler.collectGarbage"), timeoutMs, "collectGarbage");
  const after = await withTimeout(pageMetrics(cdp), timeoutMs, "Performance.getMetrics");
  return { heap_used_bytes: before.JSHeapUsedSize, heap_used_after_gc_bytes: after.JSHeapUsedSize, dom_nodes: before.Nodes, dom_elements: elements };
}

export interface OpenedPage {
  page: Page;
  cdp: CDPSession;
  figures: PageFigures;
}

/** Navigates a new tab to `url` and waits (at most timeoutMs) until a click on the page is answered. */
export async function openSweepPage(context: BrowserContext, url: string, timeoutMs: number, options: { memory?: boolean } = {}): Promise<OpenedPage> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const deadline = Date.now() + timeoutMs;
  let error: string | undefined;
  let timedOut = false;
  try {
    await page.goto(url, { waitUntil: "commit", timeout: timeoutMs });
    await withTimeout(
      page.waitForFunction(() => (window as unknown as { __benchProbe?: ProbeState }).__benchProbe?.interactiveAt != null, null, { polling: 50, timeout: Math.max(1, deadline - Date.now()) }),
      Math.max(1, deadline - Date.now()) + 2000,
      "page interactive",
    );
  } catch (e) {
    timedOut = /timed? ?out|Timeout/i.test((e as Error).message);
    error = (e as Error).message.split("\n")[0].slice(0, 300);
  }
  // A stalled page may not answer at all: every read is bounded.
  const probe = await readProbe(page, 10_000);
  const timeline = await withTimeout(page.evaluate(readTimeline), 10_000, "reading the timeline").catch(() => null);
  const memory = options.memory ? await memoryOf(page, cdp, 30_000).catch(() => null) : null;
  const figures: PageFigures = {
    ready_ms: round(probe?.readyAt ?? null),
    interactive_ms: round(probe?.interactiveAt ?? null),
    seen_ms: { first_row: round(probe?.firstRowAt ?? null), leaderboard: round(probe?.leaderboardSeenAt ?? null), chart: round(probe?.curvesSeenAt ?? null) },
    clicks_until_answered: probe?.clicks ?? 0,
    longest_task_ms: round(probe?.longestTaskMs ?? 0) ?? 0,
    long_tasks: probe?.longTasks ?? 0,
    dom_elements: memory?.dom_elements ?? null,
    dom_nodes: memory?.dom_nodes ?? null,
    heap_used_bytes: memory?.heap_used_bytes ?? null,
    heap_used_after_gc_bytes: memory?.heap_used_after_gc_bytes ?? null,
    timeline,
    timed_out: timedOut,
    ...(error ? { error } : {}),
  };
  return { page, cdp, figures };
}
