// The page side of the stream: a recorder (in the page) that notes, with Date.now(), each new text of every visible
// trial-epochs-<n> and trial-metric-<n> cell; afterwards each report's delay is the first time its trial's row
// showed that epoch (or a later one: a page may draw several reports in one frame) minus the time it was sent.
import type { Page } from "playwright-core";
import { percentile } from "../shared/stats";
import { withTimeout } from "../shared/timeout";
import { accuracyAt, type Send } from "./stream-workers";

/** [trial number, "epochs" | "metric", text, Date.now()] */
type Seen = [number, string, string, number];

export function installStreamRecorder(): void {
  const seen: Seen[] = [];
  const last = new Map<string, string>();
  const w = window as unknown as { __benchStream: { seen: Seen[]; stop: () => void } };
  const scan = () => {
    const now = Date.now();
    for (const cell of document.querySelectorAll('[data-testid^="trial-epochs-"], [data-testid^="trial-metric-"]')) {
      const id = cell.getAttribute("data-testid")!;
      const text = (cell.textContent ?? "").trim();
      if (last.get(id) === text) continue;
      last.set(id, text);
      const match = /^trial-(epochs|metric)-(\d+)$/.exec(id);
      if (match) seen.push([Number(match[2]), match[1], text, now]);
    }
  };
  scan();
  const observer = new MutationObserver(scan);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  w.__benchStream = { seen, stop: () => observer.disconnect() };
}

function readStream(): Seen[] {
  const w = window as unknown as { __benchStream?: { seen: Seen[]; stop: () => void } };
  w.__benchStream?.stop();
  return w.__benchStream?.seen ?? [];
}

/** Sorts the leaderboard by `key` descending with its header button (at most three clicks). */
export async function sortDescending(page: Page, key: string, timeoutMs: number): Promise<{ sort: string | null; order: string | null }> {
  for (let clicks = 0; clicks < 3; clicks++) {
    const state = await page.evaluate(() => {
      const board = document.querySelector('[data-testid="leaderboard"]');
      return { sort: board?.getAttribute("data-sort") ?? null, order: board?.getAttribute("data-order") ?? null };
    });
    if (state.sort === key && state.order === "desc") return state;
    await page.click(`button[data-sort-key="${key}"]`, { timeout: timeoutMs });
    await page.waitForFunction((k) => document.querySelector('[data-testid="leaderboard"]')?.getAttribute("data-sort") === k, key, { timeout: timeoutMs });
    await page.waitForTimeout(300);
  }
  return page.evaluate(() => {
    const board = document.querySelector('[data-testid="leaderboard"]');
    return { sort: board?.getAttribute("data-sort") ?? null, order: board?.getAttribute("data-order") ?? null };
  });
}

/** Which of these trial numbers have a row in the DOM now (the virtualised table draws the visible ones). */
export function visibleRows(page: Page, numbers: number[]): Promise<number[]> {
  return page.evaluate((ns) => ns.filter((n) => document.querySelector(`[data-testid="trial-row-${n}"]`) !== null), numbers);
}

const firstInt = (text: string) => {
  const match = /\d+/.exec(text);
  return match ? Number(match[0]) : null;
};

/** The epoch a metric cell shows, from the value sent for it (epoch / 1000; the page may show it as a percentage). */
function epochOfMetricText(text: string): number | null {
  const match = /-?\d+(\.\d+)?/.exec(text);
  if (!match) return null;
  const value = Number(match[0]) / (text.includes("%") ? 100 : 1);
  const epoch = Math.round(value * 1000);
  return Math.abs(accuracyAt(epoch) - value) < 0.0006 ? epoch : null;
}

export interface DelayFigures {
  reports_on_visible_rows: number;
  shown: number;
  not_shown: number;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
}

/** `from` is when the delay starts: the send (the bar), or the server's ack (what the broadcast and the page add). */
function delays(sends: Send[], shownAt: Map<number, [number, number][]>, numberOf: Map<string, number>, visible: Set<number>, from: "sent" | "acked" = "sent"): DelayFigures {
  const values: number[] = [];
  let onVisible = 0;
  for (const send of sends) {
    const n = numberOf.get(send.trialId);
    if (n === undefined || !visible.has(n)) continue;
    onVisible += 1;
    const start = from === "sent" ? send.sentAt : send.ackedAt;
    if (start === null) continue;
    const first = (shownAt.get(n) ?? []).find(([epoch, at]) => epoch >= send.epoch && at >= send.sentAt - 5);
    if (first) values.push(Math.max(0, first[1] - start));
  }
  const shown = values.length;
  // A report never shown counts beyond any bar: with more than 5 % unseen there is no p95 to report.
  const p95 = onVisible > 0 && shown >= onVisible * 0.95 ? percentile([...values, ...Array(onVisible - shown).fill(Infinity)], 95) : null;
  return {
    reports_on_visible_rows: onVisible,
    shown,
    not_shown: onVisible - shown,
    p50_ms: shown ? Math.round(percentile(values, 50)) : null,
    p95_ms: p95 === null || !Number.isFinite(p95) ? null : Math.round(p95),
    max_ms: shown ? Math.round(Math.max(...values)) : null,
  };
}

export async function collectDelays(page: Page, sends: Send[], numberOf: Map<string, number>, visible: number[]) {
  const seen = await withTimeout(page.evaluate(readStream), 30_000, "reading the stream recorder");
  const epochsShown = new Map<number, [number, number][]>();
  const metricShown = new Map<number, [number, number][]>();
  for (const [n, kind, text, at] of seen) {
    const epoch = kind === "epochs" ? firstInt(text) : epochOfMetricText(text);
    if (epoch === null) continue;
    const into = kind === "epochs" ? epochsShown : metricShown;
    into.set(n, [...(into.get(n) ?? []), [epoch, at]]);
  }
  const rows = new Set(visible);
  return {
    epochs_cell: delays(sends, epochsShown, numberOf, rows),
    metric_cell: delays(sends, metricShown, numberOf, rows),
    /** From the server's ack instead (negative when the page drew it before the ack reached the worker: clamped to 0). */
    epochs_cell_after_ack: delays(sends, epochsShown, numberOf, rows, "acked"),
    dom_changes_recorded: seen.length,
  };
}
