// The virtual leaderboard's data: the current query (sort, order, state filter), the total the server reported
// for it, and the pages of 100 rows loaded so far. Pure functions, so the cache rules are unit-tested.
import type { LeaderboardPage, TrialState } from "../../server/sweeps/types";
import { mergeTrialRow, type TrialRow } from "./trial-merge";

export const PAGE_SIZE = 100;
/** The server's cap on one /trials request. */
export const MAX_PAGE_LIMIT = 500;
/** Loaded pages further than this from the visible ones are dropped, so a long scroll does not hoard rows. */
export const KEEP_PAGES_AROUND = 4;

export type SortOrder = "asc" | "desc";

export interface LeaderboardQuery {
  sort: string;
  order: SortOrder;
  /** null: every state. */
  states: TrialState[] | null;
}

export const DEFAULT_QUERY: LeaderboardQuery = { sort: "rank", order: "asc", states: null };

export interface BoardState {
  query: LeaderboardQuery;
  key: string;
  /** Rows matching the query, from the last page the server sent for it; null before the first. */
  total: number | null;
  /** Page index → rows, each page PAGE_SIZE rows (the last may be shorter). */
  pages: Record<number, TrialRow[]>;
  /** Bumped when the pages are replaced wholesale (a refresh, a new query): loads started before are dropped. */
  generation: number;
}

export function queryKey(query: LeaderboardQuery): string {
  return `${query.sort}|${query.order}|${query.states ? [...query.states].sort().join(",") : "*"}`;
}

export function emptyBoard(query: LeaderboardQuery = DEFAULT_QUERY, generation = 0): BoardState {
  return { query, key: queryKey(query), total: null, pages: {}, generation };
}

/** The URL query of GET /api/sweeps/:id/trials (and the snapshot's leaderboard part). */
export function leaderboardParams(query: LeaderboardQuery, offset: number, limit: number): URLSearchParams {
  const params = new URLSearchParams({ sort: query.sort, order: query.order, offset: String(offset), limit: String(limit) });
  if (query.states) params.set("states", query.states.join(","));
  return params;
}

export const pageOf = (index: number) => Math.floor(index / PAGE_SIZE);

/** Pages that hold rows start..end (inclusive), within total. */
export function pagesForRange(start: number, end: number, total: number): number[] {
  if (total <= 0 || end < start) return [];
  const last = pageOf(Math.min(end, total - 1));
  const pages: number[] = [];
  for (let p = pageOf(Math.max(0, start)); p <= last; p++) pages.push(p);
  return pages;
}

export function missingPages(board: BoardState, start: number, end: number): number[] {
  // Before the first page, the total is unknown: page 0 tells it.
  if (board.total === null) return board.pages[0] ? [] : [0];
  return pagesForRange(start, end, board.total).filter((p) => !board.pages[p]);
}

export function rowAt(board: BoardState, index: number): TrialRow | undefined {
  return board.pages[pageOf(index)]?.[index % PAGE_SIZE];
}

export function findRow(board: BoardState, trialId: string): TrialRow | undefined {
  for (const rows of Object.values(board.pages)) {
    const row = rows.find((r) => r.id === trialId);
    if (row) return row;
  }
  return undefined;
}

export function loadedRows(board: BoardState): TrialRow[] {
  return Object.values(board.pages).flat();
}

/** Stores a server page (offset a multiple of PAGE_SIZE; up to MAX_PAGE_LIMIT rows, split into pages), merging each
 *  row with what the page already knows of that trial (live events may be newer than the read). `replace` drops
 *  every other page: after a refresh they are stale. A page for another query or generation is ignored. */
export function applyPage(board: BoardState, page: LeaderboardPage, generation: number, replace = false): BoardState {
  const key = queryKey({ sort: page.sort, order: page.order, states: page.states });
  if (key !== board.key || generation !== board.generation) return board;
  const first = pageOf(page.offset);
  const pages: Record<number, TrialRow[]> = replace ? {} : { ...board.pages };
  const chunks = Math.max(1, Math.ceil(page.rows.length / PAGE_SIZE));
  for (let i = 0; i < chunks; i++) {
    const rows = page.rows.slice(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
    // An empty chunk past the end is not a page (except page 0 of an empty result).
    if (!rows.length && first + i > 0) continue;
    pages[first + i] = rows.map((row) => mergeTrialRow(findRow(board, row.id), row));
  }
  // Pages past the new end are gone (trials left the filter).
  for (const p of Object.keys(pages).map(Number)) if (p * PAGE_SIZE >= Math.max(page.total, 1)) delete pages[p];
  return { ...board, total: page.total, pages, generation: replace ? generation + 1 : generation };
}

/** Drops loaded pages far from the visible rows; the same board when nothing is dropped. */
export function dropFarPages(board: BoardState, start: number, end: number, keep = KEEP_PAGES_AROUND): BoardState {
  const low = pageOf(Math.max(0, start)) - keep;
  const high = pageOf(Math.max(0, end)) + keep;
  const far = Object.keys(board.pages).map(Number).filter((p) => p < low || p > high);
  if (!far.length) return board;
  const pages = { ...board.pages };
  for (const p of far) delete pages[p];
  return { ...board, pages };
}

/** Applies `update` to the trial's row wherever it is loaded; the same board when it is not loaded or unchanged. */
export function updateRow(board: BoardState, trialId: string, update: (row: TrialRow) => TrialRow): BoardState {
  for (const [p, rows] of Object.entries(board.pages)) {
    const i = rows.findIndex((r) => r.id === trialId);
    if (i === -1) continue;
    const next = update(rows[i]);
    if (next === rows[i]) return board;
    const copy = rows.slice();
    copy[i] = next;
    return { ...board, pages: { ...board.pages, [p]: copy } };
  }
  return board;
}

/** The order a column sorts in when first clicked: the best first for the sweep metric and rank, the newest first
 *  for times, ascending otherwise. */
export function defaultOrder(sort: string, metric: string, goal: "maximize" | "minimize"): SortOrder {
  if (sort === "rank") return "asc";
  if (sort === "value" || sort === `metric:${metric}`) return goal === "maximize" ? "desc" : "asc";
  if (sort === "started" || sort === "finished") return "desc";
  if (sort.startsWith("metric:")) return /loss|error/.test(sort) ? "asc" : "desc";
  return "asc";
}

/** A header click: the same column flips its order, another column starts in its default order. */
export function sortBy(query: LeaderboardQuery, sort: string, metric: string, goal: "maximize" | "minimize"): LeaderboardQuery {
  if (query.sort === sort) return { ...query, order: query.order === "asc" ? "desc" : "asc" };
  return { ...query, sort, order: defaultOrder(sort, metric, goal) };
}

/** Whether a change of this row could move it under `sort` (or in or out of the state filter). */
export function orderMayChange(query: LeaderboardQuery, before: TrialRow, after: TrialRow): boolean {
  if (before.state !== after.state) return true;
  const sort = query.sort;
  if (sort === "rank" || sort === "value") return before.value !== after.value;
  if (sort === "epochs") return before.epochs !== after.epochs;
  if (sort === "started") return before.startedAt !== after.startedAt;
  if (sort === "finished") return before.finishedAt !== after.finishedAt;
  if (sort.startsWith("metric:")) {
    const name = sort.slice("metric:".length);
    return before.metrics[name] !== after.metrics[name];
  }
  return false;
}

/** Whether new epochs of a trial the page has not loaded could bring it into the loaded pages. */
export function sortFollowsEpochs(query: LeaderboardQuery): boolean {
  return query.sort === "rank" || query.sort === "value" || query.sort === "epochs" || query.sort.startsWith("metric:");
}
