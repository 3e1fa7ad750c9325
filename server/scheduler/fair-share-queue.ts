// Which waiting trial each idle worker gets: fair share across sweeps by priority, and GPU-only sweeps kept for
// GPU workers. The claim itself (guarded update, lease) stays in trial-store.ts.
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { sweeps, trials } from "../db/schema";

/** A worker asking for a trial; `gpu` when it trains on a GPU (only GPU workers get trials of sweeps needing one). */
export interface ClaimingWorker {
  id: string;
  name: string;
  gpu?: boolean;
}

/** Ids of the next `count` waiting trials to hand out, fair-share ranked, locked (SKIP LOCKED) in this transaction.
 *  GPU workers take trials that need a GPU before any other; CPU workers never get those.
 *  Per running sweep only its oldest few waiting trials are ranked (a lateral LIMIT on the (sweep, state, created)
 *  index), so the cost does not grow with the queue; the window function sits in a subquery because PostgreSQL
 *  allows none in a query that locks rows. */
export async function lockFairShareQueue(tx: Database, count: number, onGpu: boolean): Promise<string[]> {
  const perSweep = count + 16; // slack for rows other claimers hold right now
  const result = await tx.execute(sql`
    select t.id from (
      select q.id, q.created_at, q.number, coalesce((s.document->'resources'->>'gpu')::boolean, false) as needs_gpu,
        (r.running + row_number() over (partition by s.id order by q.created_at, q.number) - 1)
          / greatest(coalesce((s.document->>'priority')::float8, 1), 0.001) as share
      from ${sweeps} s
      cross join lateral (select count(*) as running from ${trials} where sweep_id = s.id and state = 'running') r
      cross join lateral (
        select id, created_at, number from ${trials}
        where sweep_id = s.id and state = 'waiting' order by created_at, number limit ${perSweep}
      ) q
      where s.status = 'running'
    ) c
    join ${trials} t on t.id = c.id
    where t.state = 'waiting' and (${onGpu} or not c.needs_gpu)
    order by ${onGpu ? sql`c.needs_gpu desc,` : sql``} c.share, c.created_at, c.number
    limit ${count}
    for update of t skip locked`);
  // postgres.js returns the rows themselves, PGlite an object holding them.
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as { id: string }[];
  return rows.map((row) => row.id);
}
