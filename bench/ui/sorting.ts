// Sort by a column: click its header button and time, in the page, until the leaderboard says it is sorted by that
// key and its first row is the one the API puts first for the order the page shows (a painted frame later).
import type { Page } from "playwright-core";
import { percentile } from "../shared/stats";
import { withTimeout } from "../shared/timeout";

export interface SortTiming {
  key: string;
  order: string | null;
  /** Click to the DOM showing the new order, and to the frame after it. */
  dom_ms: number | null;
  painted_ms: number | null;
  first_row: string | null;
  /** The first row the API gives for (key, order); null when the API has no such route or failed. */
  expected_first: number | null;
  error?: string;
}

type Expected = { asc: number | null; desc: number | null };

/** The API's first trial number for a sort and order (GET /api/sweeps/:id/trials), or null. */
async function apiFirst(baseUrl: string, apiToken: string, sweepId: string, key: string, order: "asc" | "desc"): Promise<number | null> {
  try {
    const params = new URLSearchParams({ sort: key, order, offset: "0", limit: "1" });
    const response = await fetch(`${baseUrl}/api/sweeps/${sweepId}/trials?${params}`, { headers: { authorization: `Bearer ${apiToken}` }, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) return null;
    const page = (await response.json()) as { rows?: { number: number }[] };
    return page.rows?.[0]?.number ?? null;
  } catch {
    return null;
  }
}

/** In the page: click the key's button and wait for the new order (self-contained: runs from its source text). */
function clickAndWait(arg: { key: string; expected: Expected; timeoutMs: number }) {
  return new Promise<Omit<SortTiming, "key" | "expected_first">>((resolve) => {
    const board = document.querySelector('[data-testid="leaderboard"]');
    const button = document.querySelector<HTMLElement>(`button[data-sort-key="${arg.key}"]`);
    if (!board || !button) return resolve({ order: null, dom_ms: null, painted_ms: null, first_row: null, error: board ? `no button[data-sort-key="${arg.key}"]` : "no leaderboard" });
    const firstRow = () => board.querySelector('[data-testid^="trial-row-"]')?.getAttribute("data-testid") ?? null;
    const before = firstRow();
    let settled = false;
    const started = performance.now();
    const shows = () => {
      if (board.getAttribute("data-sort") !== arg.key) return false;
      const order = board.getAttribute("data-order");
      const expected = order === "asc" ? arg.expected.asc : arg.expected.desc;
      return expected !== null ? firstRow() === `trial-row-${expected}` : firstRow() !== before;
    };
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      observer.disconnect();
      clearTimeout(timer);
      const dom = performance.now() - started;
      const result = { order: board.getAttribute("data-order"), first_row: firstRow() };
      if (timedOut) return resolve({ ...result, dom_ms: null, painted_ms: null, error: `not sorted within ${arg.timeoutMs} ms (data-sort=${board.getAttribute("data-sort")})` });
      requestAnimationFrame(() => setTimeout(() => resolve({ ...result, dom_ms: Math.round(dom), painted_ms: Math.round(performance.now() - started) }), 0));
    };
    const observer = new MutationObserver(() => shows() && finish(false));
    observer.observe(board, { subtree: true, childList: true, attributes: true, characterData: true });
    const timer = setTimeout(() => finish(true), arg.timeoutMs);
    button.click();
  });
}

/** The sort keys of the page's header buttons: "any column" is every column the page lets one sort by. */
export const sortKeysOnPage = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll("button[data-sort-key]")].map((b) => b.getAttribute("data-sort-key")!).filter((k, i, all) => all.indexOf(k) === i));

/** Every column's button (and each of `required` even when the page lacks it: a missing one is a failed sort). */
export async function measureSorts(page: Page, options: { baseUrl: string; apiToken: string; sweepId: string; required: string[]; timeoutMs: number }) {
  const onPage = await sortKeysOnPage(page);
  const keys = [...onPage, ...options.required.filter((k) => !onPage.includes(k))];
  const timings: SortTiming[] = [];
  // Each key twice: the second click flips the order.
  for (const key of keys.flatMap((k) => [k, k])) {
    const expected: Expected = {
      asc: await apiFirst(options.baseUrl, options.apiToken, options.sweepId, key, "asc"),
      desc: await apiFirst(options.baseUrl, options.apiToken, options.sweepId, key, "desc"),
    };
    const result = await withTimeout(page.evaluate(clickAndWait, { key, expected, timeoutMs: options.timeoutMs }), options.timeoutMs + 10_000, `sort by ${key}`).catch(
      (e: Error) => ({ order: null, dom_ms: null, painted_ms: null, first_row: null, error: e.message }),
    );
    const order = result.order === "asc" || result.order === "desc" ? result.order : null;
    timings.push({ key, ...result, expected_first: order ? expected[order] : null });
    // Let the page settle (fetches of the rows below the fold) before the next click.
    await page.waitForTimeout(300);
  }
  const painted = timings.map((t) => t.painted_ms);
  const measured = painted.filter((ms): ms is number => ms !== null);
  return {
    keys_on_page: onPage,
    missing: options.required.filter((k) => !onPage.includes(k)),
    timings,
    failed: timings.filter((t) => t.painted_ms === null).length,
    painted_ms: measured.length ? { p50: Math.round(percentile(measured, 50)), p95: Math.round(percentile(measured, 95)), max: Math.max(...measured) } : null,
    /** The worst click, a failed one counting as beyond any bar. */
    worst_ms: painted.some((ms) => ms === null) || measured.length === 0 ? null : Math.max(...measured),
  };
}
