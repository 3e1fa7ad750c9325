// Claims hand out exactly the fair-share order, whichever way the store finds it (the quick walk over sweeps with
// nothing running, the full ranking, or both in one claim): checked against the share computed here from the rows,
// over random mixes of priorities, running trials and batch sizes.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "../../../search/rng";
import { sweeps as sweepsTable } from "../../../server/db/schema";
import { TrialStore } from "../../../server/scheduler/trial-store";
import { parseSweepDocument } from "../../../server/sweeps/sweep-document";
import { SweepStore } from "../../../server/sweeps/sweep-store";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";
import { tinySweep } from "../../support/sweeps";

interface Row {
  id: string;
  sweep_id: string;
  state: string;
  number: number;
  created_us: number;
  priority: number;
}

/** The next `count` trials by share = (running + position among its waiting - 1) / priority, then age. */
function expectedNext(rows: Row[], count: number): string[] {
  const ranked: { id: string; share: number; created: number; number: number }[] = [];
  for (const sweepId of new Set(rows.map((r) => r.sweep_id))) {
    const own = rows.filter((r) => r.sweep_id === sweepId);
    const running = own.filter((r) => r.state === "running").length;
    const waiting = own.filter((r) => r.state === "waiting").sort((a, b) => a.created_us - b.created_us || a.number - b.number);
    waiting.forEach((r, i) => ranked.push({ id: r.id, share: (running + i) / Math.max(r.priority, 0.001), created: r.created_us, number: r.number }));
  }
  ranked.sort((a, b) => a.share - b.share || a.created - b.created || a.number - b.number);
  return ranked.slice(0, count).map((r) => r.id);
}

describe.each(DATABASE_KINDS)("fair-share claims on %s", (kind) => {
  let database: TestDatabase;
  let store: TrialStore;
  let sweeps: SweepStore;
  const db = () => database.handle.db;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    store = new TrialStore(db(), 60_000, 3, database.handle.leases);
    sweeps = new SweepStore(db());
  });
  afterAll(() => database.drop());

  const rowsNow = async (): Promise<Row[]> => {
    const result = await db().execute(sql`
      select t.id, t.sweep_id, t.state, t.number, (extract(epoch from t.created_at) * 1000000)::bigint as created_us,
        coalesce((s.document->>'priority')::float8, 1) as priority
      from trials t join sweeps s on s.id = t.sweep_id where s.status = 'running' and t.state in ('waiting', 'running')`);
    const rows = (Array.isArray(result) ? result : (result as unknown as { rows: Row[] }).rows) as Row[];
    return rows.map((r) => ({ ...r, number: Number(r.number), created_us: Number(r.created_us), priority: Number(r.priority) }));
  };

  it.each([1, 2, 3])("hands out the computed order (seed %i)", async (seed) => {
    const random = createRng(seed);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    await db().delete(sweepsTable);
    for (let s = 0; s < 6; s++) {
      const parsed = parseSweepDocument({ ...tinySweep({ name: `s${s}` }), priority: 1 + int(0, 2) });
      if (!parsed.ok) throw new Error("bad fixture");
      const id = (await sweeps.create(parsed.document)).id;
      await sweeps.setStatus(id, "running");
      for (let n = 0, trials = int(1, 5); n < trials; n++) await store.insertWaiting(id, n, {});
    }
    let worker = 0;
    for (let round = 0; round < 8; round++) {
      const count = int(1, 4);
      const expected = expectedNext(await rowsNow(), count);
      const workers = Array.from({ length: count }, () => ({ id: `w${worker}`, name: `w${worker++}` }));
      const claimed = await store.claimNextFor(workers);
      expect(claimed.map((t) => t.id)).toEqual(expected);
      expect(claimed.map((t) => t.workerId)).toEqual(workers.slice(0, claimed.length).map((w) => w.id));
    }
  });
});
