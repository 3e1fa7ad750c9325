import { describe, expect, it } from "vitest";
import {
  applyPage,
  defaultOrder,
  dropFarPages,
  emptyBoard,
  leaderboardParams,
  missingPages,
  orderMayChange,
  PAGE_SIZE,
  pagesForRange,
  rowAt,
  sortBy,
  updateRow,
  type LeaderboardQuery,
} from "../../app/lib/leaderboard-cache";
import { page, row } from "./fixtures";

const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => row(from + i));

describe("leaderboard page cache", () => {
  it("asks for page 0 first, then only the pages the visible rows fall in", () => {
    const empty = emptyBoard();
    expect(missingPages(empty, 350, 420)).toEqual([0]);
    const board = applyPage(empty, page(rows(0, 100), { total: 1000 }), 0);
    expect(missingPages(board, 0, 40)).toEqual([]);
    expect(missingPages(board, 350, 420)).toEqual([3, 4]);
    expect(pagesForRange(950, 1200, 1000)).toEqual([9]);
  });

  it("splits a refresh of up to 500 rows into pages, drops the rest, and ignores answers of another generation or query", () => {
    let board = applyPage(emptyBoard(), page(rows(0, 100), { total: 1000 }), 0);
    board = applyPage(board, page(rows(700, 100), { offset: 700, total: 1000 }), 0);
    const refreshed = applyPage(board, page(rows(200, 200), { offset: 200, limit: 200, total: 1000 }), 0, true);
    expect(Object.keys(refreshed.pages).map(Number)).toEqual([2, 3]);
    expect(rowAt(refreshed, 350)!.number).toBe(350);
    expect(refreshed.generation).toBe(1);
    expect(applyPage(refreshed, page(rows(0, 100), { total: 1000 }), 0)).toBe(refreshed);
    const other: LeaderboardQuery = { sort: "number", order: "asc", states: null };
    expect(applyPage(refreshed, page(rows(0, 100), { total: 1000, query: other }), 1)).toBe(refreshed);
  });

  it("keeps what live events added to a row when a page read before them arrives", () => {
    let board = applyPage(emptyBoard(), page([row(0, { state: "running", epochs: 1, value: 0.5 })]), 0);
    board = updateRow(board, "trial-0", (r) => ({ ...r, epochs: 3, value: 0.8 }));
    board = applyPage(board, page([row(0, { state: "running", epochs: 2, value: 0.6, rank: 1 })]), 0);
    expect(rowAt(board, 0)).toMatchObject({ epochs: 3, value: 0.8, rank: 1 });
  });

  it("drops pages far from the visible rows, and pages past a shrunken total", () => {
    let board = emptyBoard();
    for (const p of [0, 1, 9]) board = applyPage(board, page(rows(p * PAGE_SIZE, PAGE_SIZE), { offset: p * PAGE_SIZE, total: 1000 }), 0);
    expect(Object.keys(dropFarPages(board, 0, 150, 4).pages)).toEqual(["0", "1"]);
    expect(dropFarPages(board, 0, 950, 4)).toBe(board);
    const shrunk = applyPage(board, page(rows(0, 100), { total: 150 }), 0);
    expect(Object.keys(shrunk.pages)).toEqual(["0", "1"]);
  });

  it("sorts a new column in its natural order and flips on a second click", () => {
    const rank = emptyBoard().query;
    expect(sortBy(rank, "value", "val_accuracy", "maximize")).toMatchObject({ sort: "value", order: "desc" });
    expect(sortBy(rank, "value", "val_loss", "minimize")).toMatchObject({ sort: "value", order: "asc" });
    expect(sortBy({ ...rank, sort: "param:lr", order: "asc" }, "param:lr", "val_accuracy", "maximize")).toMatchObject({ order: "desc" });
    expect(defaultOrder("metric:val_loss", "val_accuracy", "maximize")).toBe("asc");
    expect(defaultOrder("number", "val_accuracy", "maximize")).toBe("asc");
  });

  it("tells which changes may reorder the rows under each sort", () => {
    const before = row(0, { state: "running", value: 0.5, epochs: 1, metrics: { val_loss: 0.5 } });
    const after = { ...before, value: 0.6, epochs: 2, metrics: { val_loss: 0.4 } };
    const q = (sort: string): LeaderboardQuery => ({ sort, order: "asc", states: null });
    expect(orderMayChange(q("rank"), before, after)).toBe(true);
    expect(orderMayChange(q("metric:val_loss"), before, after)).toBe(true);
    expect(orderMayChange(q("param:learning_rate"), before, after)).toBe(false);
    expect(orderMayChange(q("number"), before, after)).toBe(false);
    expect(orderMayChange(q("number"), before, { ...after, state: "complete" })).toBe(true);
  });

  it("writes the /trials query", () => {
    const params = leaderboardParams({ sort: "param:learning_rate", order: "desc", states: ["complete", "running"] }, 200, 100);
    expect(Object.fromEntries(params)).toEqual({ sort: "param:learning_rate", order: "desc", offset: "200", limit: "100", states: "complete,running" });
  });
});
