// One (database kind, sweep size) run: seed, start the server, read the first snapshot, open the page in one tab
// (interactive, long tasks, DOM, heap), sort by each column, open it in several tabs at once under /api/health
// probes, then stream reports into it. Each step is bounded and records its failure rather than stopping the run.
import type { Browser } from "playwright-core";
import type { DatabaseKind } from "../../server/db/client";
import { attempt } from "../shared/timeout";
import { barsOf, ratiosOf } from "./bars";
import { prepareDatabase } from "./database";
import type { SweepSize, UiBenchOptions } from "./options";
import { installPageProbe, KEEP_NAMES_SHIM } from "./page-probe";
import { openSweepPage } from "./page-open";
import { browserCookies, startBenchServer, type BenchServer } from "./server";
import { measureSnapshot } from "./snapshot";
import { measureSorts } from "./sorting";
import { measureStream } from "./stream";
import { measureTabs } from "./tabs";

/** Sorts the issue names (beside every column the page offers): the sweep metric, the number, a param and a metric. */
export const SORT_KEYS = ["value", "number", "param:learning_rate", "metric:val_loss"];

export async function measureRun(kind: DatabaseKind, size: SweepSize, options: UiBenchOptions, browser: Browser): Promise<Record<string, unknown>> {
  const stream = { trials: options.streamTrials, epochsPerTrial: Math.ceil((options.pointsPerSecond * options.streamSeconds) / options.streamTrials) + 20 };
  console.error(`${kind} ${size.label}: seeding…`);
  const database = await prepareDatabase(kind, size, stream);
  let server: BenchServer | null = null;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    console.error(`${kind} ${size.label}: seeded ${database.stored.trials} trials, ${database.stored.epoch_rows} epoch rows in ${database.seed_ms} ms; starting the server…`);
    server = await startBenchServer(database);
    const { url: baseUrl } = server;
    const apiToken = server.process.apiToken;
    await context.addCookies(browserCookies(server.cookie, baseUrl));
    await context.addInitScript({ content: KEEP_NAMES_SHIM });
    await context.addInitScript(installPageProbe);
    const pageUrl = `${baseUrl}/sweeps/${database.sweepId}`;

    console.error(`${kind} ${size.label}: snapshot…`);
    const snapshot = await attempt("snapshot", options.requestTimeoutMs * 3, () => measureSnapshot(baseUrl, apiToken, database.sweepId, options.requestTimeoutMs));
    // The first open after the server's start also pays for loading the route's code; a second open is what a
    // user of a running server meets. Both are reported and barred.
    console.error(`${kind} ${size.label}: one tab (first open after start, then again)…`);
    const cold = await openSweepPage(context, pageUrl, options.pageTimeoutMs);
    await cold.page.close().catch(() => {});
    const tab = await openSweepPage(context, pageUrl, options.pageTimeoutMs, { memory: true });
    const interactive = tab.figures.interactive_ms !== null;
    console.error(`${kind} ${size.label}: sorts…`);
    const sorts = interactive
      ? await attempt("sorts", options.pageTimeoutMs * 30, () => measureSorts(tab.page, { baseUrl, apiToken, sweepId: database.sweepId, required: SORT_KEYS, timeoutMs: 10_000 }))
      : { ok: false as const, error: "skipped: the page never became interactive", timed_out: false };
    console.error(`${kind} ${size.label}: ${options.tabs} tabs at once…`);
    const tabs = await attempt("tabs", options.pageTimeoutMs + 60_000, () => measureTabs(context, pageUrl, baseUrl, { tabs: options.tabs, timeoutMs: options.pageTimeoutMs, probeEveryMs: options.probeEveryMs, apiToken }));
    console.error(`${kind} ${size.label}: streaming ${options.pointsPerSecond}/s for ${options.streamSeconds} s…`);
    const streamed = tab.figures.seen_ms.first_row !== null
      ? await attempt("stream", options.pageTimeoutMs * 4 + options.streamSeconds * 1000, () =>
          measureStream({ baseUrl, apiToken, sweepId: database.sweepId, tab, trials: stream.trials, perSecond: options.pointsPerSecond, seconds: options.streamSeconds, timeoutMs: options.pageTimeoutMs, probeEveryMs: options.probeEveryMs }),
        )
      : { ok: false as const, error: "skipped: the page never showed a trial row", timed_out: false };

    const heaps = [tab.figures.heap_used_bytes, streamed.ok ? (streamed.memory_after_stream?.heap_used_bytes ?? null) : null].filter((h): h is number => h !== null);
    const figures = {
      trials: size.trials,
      snapshot_wire_bytes: snapshot.ok ? snapshot.first.wire_bytes : null,
      snapshot_identity_bytes: snapshot.ok ? snapshot.identity.wire_bytes : null,
      snapshot_ms: snapshot.ok ? snapshot.first.total_ms : null,
      interactive_ms: tab.figures.interactive_ms,
      interactive_cold_ms: cold.figures.interactive_ms,
      longest_task_ms: tab.figures.longest_task_ms,
      heap_bytes: heaps.length ? Math.max(...heaps) : null,
      dom_nodes: tab.figures.dom_nodes,
      sort_worst_ms: sorts.ok ? sorts.worst_ms : null,
      health_p99_ms: tabs.ok ? tabs.health.p99_ms : null,
      stream_p95_ms: streamed.ok ? streamed.delay_to_dom.epochs_cell.p95_ms : null,
    };
    return {
      size: { trials: size.trials, epochs: size.epochs, stream_trials_added: stream.trials, stored: database.stored },
      seed_ms: database.seed_ms,
      server_start_ms: server.start_ms,
      figures,
      bars: barsOf(figures),
      ratio_vs_reference: ratiosOf(figures),
      snapshot,
      one_tab: tab.figures,
      one_tab_first_open: cold.figures,
      sorts,
      tabs_at_once: tabs,
      stream: streamed,
    };
  } finally {
    await context.close().catch(() => {});
    await server?.process.stop().catch(() => {});
    await database.drop();
  }
}
