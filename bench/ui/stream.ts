// p95 delay from a worker's report to the updated DOM while N reports/s stream in: resume the paused sweep so its
// waiting trials go to the benchmark's workers, sort the page by number, descending (the streaming trials are the
// highest numbers: on top), record the visible cells, stream, and join what the page showed with what was sent.
import type { Page } from "playwright-core";
import { startHealthProbe } from "./health-probe";
import { memoryOf } from "./page-open";
import type { OpenedPage } from "./page-open";
import { collectDelays, installStreamRecorder, sortDescending, visibleRows } from "./stream-page";
import { connectStreamWorkers } from "./stream-workers";
import { WORKER_TOKEN } from "./server";

export interface StreamContext {
  baseUrl: string;
  apiToken: string;
  sweepId: string;
  tab: OpenedPage;
  trials: number;
  perSecond: number;
  seconds: number;
  timeoutMs: number;
  probeEveryMs: number;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Trial id → number, from the leaderboard API (the new /trials route, else the snapshot's rows or trials). */
async function trialNumbers(ctx: StreamContext, ids: string[]): Promise<Map<string, number>> {
  const numbers = new Map<string, number>();
  const add = (rows: { id: string; number: number }[] | undefined) => rows?.forEach((r) => ids.includes(r.id) && numbers.set(r.id, r.number));
  const page = await fetch(`${ctx.baseUrl}/api/sweeps/${ctx.sweepId}/trials?sort=started&order=desc&offset=0&limit=${ids.length + 50}`, { headers: bearer(ctx.apiToken), signal: AbortSignal.timeout(ctx.timeoutMs) });
  if (page.ok) add(((await page.json()) as { rows?: { id: string; number: number }[] }).rows);
  if (numbers.size < ids.length) {
    const snapshot = await fetch(`${ctx.baseUrl}/api/sweeps/${ctx.sweepId}`, { headers: bearer(ctx.apiToken), signal: AbortSignal.timeout(ctx.timeoutMs) });
    const body = (await snapshot.json()) as { trials?: { id: string; number: number }[]; leaderboard?: { rows?: { id: string; number: number }[] } };
    add(body.trials);
    add(body.leaderboard?.rows);
  }
  return numbers;
}

async function resume(ctx: StreamContext): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${ctx.baseUrl}/api/sweeps/${ctx.sweepId}/resume`, { method: "POST", headers: { ...bearer(ctx.apiToken), "content-type": "application/json" }, body: "{}", signal: AbortSignal.timeout(ctx.timeoutMs) });
  if (!response.ok) throw new Error(`resume answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return Math.round(performance.now() - started);
}

export async function measureStream(ctx: StreamContext) {
  const page: Page = ctx.tab.page;
  const workers = await connectStreamWorkers(ctx.baseUrl, WORKER_TOKEN, ctx.trials, ctx.timeoutMs);
  try {
    const resume_ms = await resume(ctx);
    const claimStarted = performance.now();
    const claims = await workers.claimed(ctx.timeoutMs);
    const claim_ms = Math.round(performance.now() - claimStarted);
    const numberOf = await trialNumbers(ctx, claims.map((c) => c.trialId));
    // The stream's trials are the highest numbers (seeded waiting after the rest): number, descending, puts them on
    // top and keeps them there. Without sort buttons (an older page), whichever of them are visible are measured.
    const sorted = await sortDescending(page, "number", Math.min(ctx.timeoutMs, 15_000)).catch((e: Error) => ({ sort: null, order: null, error: e.message.split("\n")[0] }));
    const visible = await visibleRows(page, [...numberOf.values()]);
    await page.evaluate(installStreamRecorder);
    const health = startHealthProbe(ctx.baseUrl, ctx.probeEveryMs, ctx.apiToken);
    const sent = await workers.stream(ctx.perSecond, ctx.seconds);
    // Reports sent last still travel: give the page a moment to draw them.
    await page.waitForTimeout(1500);
    const healthFigures = await health.stop();
    const delays = await collectDelays(page, sent.sends, numberOf, visible);
    const memory = await memoryOf(page, ctx.tab.cdp, 30_000).catch(() => null);
    return {
      streaming_trials: claims.length,
      visible_streaming_rows: visible.length,
      sorted_by: sorted,
      resume_ms,
      claim_ms,
      reports_sent: sent.sends.length,
      sent_per_s: sent.sent_per_s,
      acked: sent.acked,
      refused: sent.refused,
      ack_p95_ms: sent.ack_p95_ms,
      delay_to_dom: delays,
      health_while_streaming: healthFigures,
      memory_after_stream: memory,
    };
  } finally {
    workers.close();
  }
}
