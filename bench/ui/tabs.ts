// Several tabs open the sweep page at once while /api/health is probed from this process: the server must keep
// answering (p99 < 100 ms) however heavy the page loads are.
import type { BrowserContext } from "playwright-core";
import { startHealthProbe } from "./health-probe";
import { openSweepPage } from "./page-open";

export async function measureTabs(context: BrowserContext, url: string, baseUrl: string, options: { tabs: number; timeoutMs: number; probeEveryMs: number; apiToken: string }) {
  const health = startHealthProbe(baseUrl, options.probeEveryMs, options.apiToken);
  const started = performance.now();
  const opened = await Promise.all(Array.from({ length: options.tabs }, () => openSweepPage(context, url, options.timeoutMs)));
  const all_settled_ms = Math.round(performance.now() - started);
  const figures = await health.stop();
  const interactive = opened.map((o) => o.figures.interactive_ms);
  await Promise.all(opened.map((o) => o.page.close().catch(() => {})));
  return {
    tabs: options.tabs,
    all_settled_ms,
    interactive_ms: interactive,
    timed_out: opened.filter((o) => o.figures.timed_out).length,
    longest_task_ms: Math.max(...opened.map((o) => o.figures.longest_task_ms)),
    health: figures,
  };
}
