// The bounded sweep reads against brute force on a modest seeded sweep, on both databases: leaderboard ranks, every
// sort key in both orders (nulls last, ties by number), pagination, curves (top-N, LTTB bound, envelope), query
// validation, the aggregate summary, and the change feed's reset beyond its limits.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSweep } from "../../../bench/ui/seed";
import type { Database } from "../../../server/db/client";
import { trialEpochs, trials } from "../../../server/db/schema";
import { RANKING_STATES, RESULT_STATES } from "../../../server/sweeps/read-queries";
import { analyseSweep } from "../../../server/sweeps/sweep-analysis";
import { CHANGE_LIMITS, sweepChanges } from "../../../server/sweeps/sweep-changes";
import { computeEnvelope } from "../../../server/sweeps/sweep-curves";
import { SweepReads } from "../../../server/sweeps/sweep-reads";
import { SweepStore } from "../../../server/sweeps/sweep-store";
import { TRIAL_STATES, type LeaderboardRow } from "../../../server/sweeps/types";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";

type Row = typeof trials.$inferSelect;
type Json = number | string | null | undefined;

/** PostgreSQL's jsonb order for the values seeded here (numbers, then strings; both never mixed in one key). */
const compareJson = (a: Json, b: Json) => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

function sortedBy(rows: Row[], key: (r: Row) => Json, order: "asc" | "desc"): number[] {
  return [...rows]
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const [xn, yn] = [x === null || x === undefined, y === null || y === undefined];
      if (xn !== yn) return xn ? 1 : -1;
      const c = xn ? 0 : compareJson(x, y) * (order === "asc" ? 1 : -1);
      return c || a.number - b.number;
    })
    .map((r) => r.number);
}

const ranks = (r: Row) => RANKING_STATES.includes(r.state) && r.value !== null;
function bruteRanks(rows: Row[]): Map<number, number> {
  const ranked = rows.filter(ranks).sort((a, b) => (b.value as number) - (a.value as number) || a.number - b.number);
  return new Map(ranked.map((r, i) => [r.number, i + 1]));
}

function percentile(sorted: number[], p: number): number {
  const at = p * (sorted.length - 1);
  const [lo, hi] = [Math.floor(at), Math.ceil(at)];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

async function invalidPaths(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(() => null, (e: { code?: string; details?: { path: string }[] }) => e);
  expect(error?.code).toBe("invalid");
  return error!.details!.map((d) => d.path);
}

describe.each(DATABASE_KINDS)("sweep reads on %s", (kind) => {
  let test: TestDatabase;
  let db: Database;
  let reads: SweepReads;
  let store: SweepStore;
  let sweepId: string;
  let rows: Row[];

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    db = test.handle.db;
    store = new SweepStore(db);
    reads = new SweepReads(db, store);
    ({ sweepId } = await seedSweep(db, { trials: 300, epochs: 20, waiting: 12, seed: 7 }));
    // A few complete trials without a value: they do not rank, and sort by value as null.
    await db.execute(sql`update trials set value = null where sweep_id = ${sweepId}::uuid and number in (1, 2, 4)`);
    rows = await db.select().from(trials).where(eq(trials.sweepId, sweepId));
  }, 120_000);
  afterAll(() => test?.drop());

  async function allPages(query: Record<string, string>, limit = 47): Promise<LeaderboardRow[]> {
    const seen: LeaderboardRow[] = [];
    for (let offset = 0; ; offset += limit) {
      const page = await reads.trials(sweepId, { ...query, limit: String(limit), offset: String(offset) });
      expect(page.rows.length).toBeLessThanOrEqual(limit);
      seen.push(...page.rows);
      if (page.rows.length < limit) {
        expect(seen).toHaveLength(page.total);
        return seen;
      }
    }
  }

  it("ranks by the metric among ranking trials, on every row whatever the sort, and sorts by rank then number", async () => {
    const expected = bruteRanks(rows);
    const byRank = await allPages({ sort: "rank" });
    const wanted = [...[...expected.entries()].sort((a, b) => a[1] - b[1]).map(([n]) => n), ...rows.filter((r) => !ranks(r)).map((r) => r.number).sort((a, b) => a - b)];
    expect(byRank.map((r) => r.number)).toEqual(wanted);
    const byNumber = await allPages({ sort: "number", order: "desc" });
    for (const row of [...byRank, ...byNumber]) expect(row.rank).toBe(expected.get(row.number) ?? null);
    expect(new Set(byNumber.map((r) => r.id)).size).toBe(rows.length);
    const worstFirst = await allPages({ sort: "rank", order: "desc" }, 100);
    expect(worstFirst.map((r) => r.number)).toEqual([...wanted.slice(0, expected.size).reverse(), ...wanted.slice(expected.size)]);
  });

  const keys: [string, (r: Row) => Json][] = [
    ["number", (r) => r.number],
    ["state", (r) => TRIAL_STATES.indexOf(r.state)],
    ["epochs", (r) => r.epochs],
    ["value", (r) => r.value],
    ["started", (r) => r.startedAt?.getTime() ?? null],
    ["finished", (r) => r.finishedAt?.getTime() ?? null],
    ["metric:val_loss", (r) => r.metrics.val_loss],
    ["metric:test_accuracy", (r) => r.metrics.test_accuracy],
    ["param:momentum", (r) => r.params.momentum as Json],
    ["param:optimizer", (r) => r.params.optimizer as Json],
    ["param:learning_rate", (r) => r.params.learning_rate as Json],
  ];
  it.each(keys.flatMap(([sort, key]) => (["asc", "desc"] as const).map((order) => [sort, order, key] as const)))(
    "sorts by %s %s with nulls last, ties by number, every row once",
    async (sort, order, key) => {
      const got = await allPages({ sort, order });
      expect(got.map((r) => r.number)).toEqual(sortedBy(rows, key, order));
    },
  );

  it("filters by state, with the filter's total", async () => {
    const page = await reads.trials(sweepId, { states: "running,pruned", sort: "number", limit: "500" });
    const want = rows.filter((r) => r.state === "running" || r.state === "pruned").map((r) => r.number).sort((a, b) => a - b);
    expect(page.total).toBe(want.length);
    expect(page.rows.map((r) => r.number)).toEqual(want);
    expect(page.states).toEqual(["running", "pruned"]);
  });

  it("serves curves of the top-N and the requested trials within the point limit, and the envelope", async () => {
    const expected = [...bruteRanks(rows).entries()].sort((a, b) => a[1] - b[1]).map(([n]) => n);
    const waiting = rows.find((r) => r.state === "waiting")!;
    const pruned = rows.find((r) => r.state === "pruned")!;
    const curves = await reads.curves(sweepId, { top: "5", trials: `${pruned.id},${waiting.id}`, points: "10" });
    expect(curves.series.map((s) => s.number)).toEqual([...expected.slice(0, 5), ...[pruned.number, waiting.number].sort((a, b) => a - b)]);
    for (const series of curves.series) {
      expect(series.points.length).toBeLessThanOrEqual(10);
      if (series.epochs > 0) expect([series.points[0][0], series.points.at(-1)![0]]).toEqual([1, 20]);
    }
    expect(curves.series.find((s) => s.trialId === waiting.id)!.points).toEqual([]);
    const exact = (await reads.curves(sweepId, { top: "1", points: "500" })).series[0];
    const stored = await db.select().from(trialEpochs).where(eq(trialEpochs.trialId, exact.trialId));
    expect(exact.points).toEqual(stored.sort((a, b) => a.epoch - b.epoch).map((e) => [e.epoch, e.metrics.val_accuracy]));

    const byEpoch = new Map<number, number[]>();
    for (const e of await db.select().from(trialEpochs).innerJoin(trials, eq(trials.id, trialEpochs.trialId)).where(eq(trials.sweepId, sweepId))) {
      if (e.trial_epochs.attempt !== e.trials.attempt) continue;
      byEpoch.set(e.trial_epochs.epoch, [...(byEpoch.get(e.trial_epochs.epoch) ?? []), e.trial_epochs.metrics.val_accuracy]);
    }
    const brute = (epoch: number) => {
      const v = byEpoch.get(epoch)!.sort((a, b) => a - b);
      return { epoch, trials: v.length, min: v[0], p25: percentile(v, 0.25), median: percentile(v, 0.5), p75: percentile(v, 0.75), max: v.at(-1)! };
    };
    expect(curves.envelope.length).toBeLessThanOrEqual(10);
    expect(curves.envelope.map((p) => p.epoch)).toEqual([1, 4, 7, 10, 13, 16, 19, 20]);
    for (const point of [...curves.envelope, ...(await reads.curves(sweepId, { top: "0" })).envelope]) {
      const want = brute(point.epoch);
      for (const field of ["min", "p25", "median", "p75", "max"] as const) expect(point[field]).toBeCloseTo(want[field], 9);
      expect(point.trials).toBe(want.trials);
    }
    const sampled = await computeEnvelope(db, { id: sweepId, metric: { name: "val_accuracy", goal: "maximize" } }, 500, 50);
    expect(sampled).toHaveLength(20);
    expect(sampled.every((p) => p.trials === 50)).toBe(true);
  });

  it("builds the snapshot: cursor, summary, first page and default curves", async () => {
    const snapshot = await reads.snapshot(sweepId, { sort: "value", order: "desc", limit: "20" });
    expect(snapshot.cursor).toMatch(/^\d+$/);
    expect(snapshot.leaderboard).toMatchObject({ sort: "value", order: "desc", offset: 0, limit: 20, total: rows.length });
    expect(snapshot.leaderboard.rows).toHaveLength(20);
    expect(snapshot.curves).toMatchObject({ metric: "val_accuracy", goal: "maximize", top: 10, maxPoints: 500 });
    expect(snapshot.curves.series).toHaveLength(10);
    const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, rows.filter((r) => r.state === s).length]));
    expect(snapshot.sweep.trialCounts).toEqual(counts);
    const results = rows.filter((r) => RESULT_STATES.includes(r.state) && r.value !== null).map((r) => r.value as number);
    expect(snapshot.sweep.bestValue).toBe(Math.max(...results));
    expect((await store.list()).find((s) => s.id === sweepId)).toEqual(snapshot.sweep);
    const changes = await sweepChanges(db, store, sweepId, snapshot.cursor);
    expect(changes).toMatchObject({ reset: false, trials: [], epochs: [] });
  });

  it("refuses bad queries with the field named, and unknown sweeps as not found", async () => {
    const bad: [Record<string, string>, string][] = [
      [{ limit: "0" }, "limit"],
      [{ limit: "501" }, "limit"],
      [{ offset: "-1" }, "offset"],
      [{ offset: "1000001" }, "offset"],
      [{ sort: "bogus" }, "sort"],
      [{ sort: "param:" }, "sort"],
      [{ sort: `metric:${"m".repeat(65)}` }, "sort"],
      [{ order: "up" }, "order"],
      [{ states: "done" }, "states"],
      [{ states: "" }, "states"],
      [{ limit: "1.5" }, "limit"],
      [{ page: "2" }, "page"],
    ];
    for (const [query, path] of bad) expect(await invalidPaths(reads.trials(sweepId, query)), JSON.stringify(query)).toEqual([path]);
    const uuids = Array.from({ length: 51 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`).join(",");
    for (const [query, path] of [
      [{ top: "51" }, "top"],
      [{ points: "9" }, "points"],
      [{ points: "2001" }, "points"],
      [{ trials: "not-a-uuid" }, "trials"],
      [{ trials: uuids }, "trials"],
    ] as const)
      expect(await invalidPaths(reads.curves(sweepId, query)), JSON.stringify(query)).toEqual([path]);
    expect(await invalidPaths(reads.snapshot(sweepId, { offset: "3" }))).toEqual(["offset"]);
    expect(await invalidPaths(sweepChanges(db, store, sweepId, null, "nope"))).toEqual(["trials"]);
    await expect(reads.trials("00000000-0000-4000-8000-000000000000", {})).rejects.toMatchObject({ code: "not_found" });
    await expect(reads.snapshot("nope", {})).rejects.toMatchObject({ code: "not_found" });
  });

  it("analyses from the trial rows, drawing every trial of a small sweep", async () => {
    const analysis = await analyseSweep(db, (await store.get(sweepId))!);
    const complete = rows.filter((r) => r.state === "complete" && r.value !== null).length;
    expect(analysis.history.points).toHaveLength(complete);
    expect(analysis.drawn).toEqual({ drawn: complete, of: complete, sampled: false, best: complete });
    expect(analysis.parallelCoordinates.lines).toHaveLength(complete);
  });

  it("answers reset beyond the change feed's limits, and watched trials' epochs only", async () => {
    const epochsHeavy = await seedSweep(db, { trials: 1_000, epochs: 21, name: "epochs-heavy" });
    expect(CHANGE_LIMITS.epochs).toBeLessThan(epochsHeavy.epochRows);
    const all = await sweepChanges(db, store, epochsHeavy.sweepId, null);
    expect(all).toMatchObject({ reset: true, sweep: null, trials: [], epochs: [] });
    expect(all.cursor).toMatch(/^\d+$/);
    const [one] = await db.select({ id: trials.id }).from(trials).where(eq(trials.sweepId, epochsHeavy.sweepId)).limit(1);
    const watched = await sweepChanges(db, store, epochsHeavy.sweepId, null, one.id);
    expect(watched.reset).toBe(false);
    expect(watched.trials).toHaveLength(1_000);
    expect(watched.epochs.map((e) => e.record.epoch)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(new Set(watched.epochs.map((e) => e.trialId))).toEqual(new Set([one.id]));
    const trialsHeavy = await seedSweep(db, { trials: CHANGE_LIMITS.trials + 1, epochs: 1, name: "trials-heavy" });
    expect(await sweepChanges(db, store, trialsHeavy.sweepId, null, "")).toMatchObject({ reset: true, trials: [] });
  }, 120_000);
});
