// Which waiting trial each idle worker gets: fair share across sweeps by priority, and GPU-only sweeps kept for
// GPU workers. The claim itself (guarded update, lease) stays in trial-store.ts.
import { sql, type SQL } from "drizzle-orm";
import { sweeps, trials } from "../db/schema";

/** A worker asking for a trial; `gpu` when it trains on a GPU (only GPU workers get trials of sweeps needing one). */
export interface ClaimingWorker {
  id: string;
  name: string;
  gpu?: boolean;
}

/** The next `count` waiting trials to hand out, fair-share ranked and locked (SKIP LOCKED), as common table
 *  expressions for the statement that claims them (trial-store.ts): they define `ranked(id, rank)`, rank 1 first.
 *  The locked selection is materialized, so it runs exactly once whatever plan the claiming statement gets.
 *  GPU workers take trials that need a GPU before any other; CPU workers never get those.
 *  Per running sweep only its oldest few waiting trials are ranked (a lateral LIMIT on the (sweep, state, created)
 *  index), so the cost does not grow with a queue; the running trials are counted in one grouped pass, not probed per
 *  sweep. The window functions sit outside the locking query because PostgreSQL allows none in a query that locks
 *  rows. */
export function rankedFairShareQueue(count: number, onGpu: boolean): SQL {
  const perSweep = count + 16; // slack for rows other claimers hold right now
  const gpuFirst = (alias: string) => (onGpu ? sql.raw(`${alias}.needs_gpu desc, `) : sql``);
  return sql`
    picked as materialized (
      select t.id, c.needs_gpu, c.share, c.created_at, c.number from (
        select q.id, q.created_at, q.number, a.needs_gpu,
          (a.running + row_number() over (partition by a.id order by q.created_at, q.number) - 1) / a.priority as share
        from (
          select s.id, coalesce((s.document->'resources'->>'gpu')::boolean, false) as needs_gpu,
            greatest(coalesce((s.document->>'priority')::float8, 1), 0.001) as priority, coalesce(r.n, 0) as running
          from ${sweeps} s
          left join (select sweep_id, count(*) as n from ${trials} where state = 'running' group by sweep_id) r on r.sweep_id = s.id
          where s.status = 'running'
        ) a
        cross join lateral (
          select id, created_at, number from ${trials}
          where sweep_id = a.id and state = 'waiting' order by created_at, number limit ${perSweep}
        ) q
      ) c
      join ${trials} t on t.id = c.id
      where t.state = 'waiting' and (${onGpu} or not c.needs_gpu)
      order by ${gpuFirst("c")}c.share, c.created_at, c.number
      limit ${count}
      for update of t skip locked
    ),
    ranked as (select id, row_number() over (order by ${gpuFirst("picked")}share, created_at, number) as rank from picked)`;
}

/** The same first trials as rankedFairShareQueue for CPU workers, found cheaply whenever there are enough of them:
 *  trials whose share is 0, i.e. the oldest waiting trial of each running sweep with nothing running (whatever its
 *  priority), oldest first. They rank before every other trial, so the ones found here are the full ranking's first.
 *  Only the oldest `count + 64` waiting trials are looked at, so the cost follows the workers, not the sweeps or the
 *  queue (at 1,000 sweeps the full ranking costs milliseconds); any share-0 trial past them is younger than all found.
 *  With fewer than `count`, the caller ranks the rest in full (trial-store.ts). Defines `ranked`. */
export function rankedIdleSweepsQueue(count: number): SQL {
  return sql`
    picked as materialized (
      select t.id, t.created_at, t.number from (
        select id from ${trials} where state = 'waiting' order by created_at, number limit ${count + 64}
      ) oldest
      join ${trials} t on t.id = oldest.id
      join ${sweeps} s on s.id = t.sweep_id
      where t.state = 'waiting' and s.status = 'running' and not coalesce((s.document->'resources'->>'gpu')::boolean, false)
        and not exists (select 1 from ${trials} r where r.sweep_id = t.sweep_id and r.state = 'running')
        and not exists (
          select 1 from ${trials} o where o.sweep_id = t.sweep_id and o.state = 'waiting' and (o.created_at, o.number) < (t.created_at, t.number)
        )
      order by t.created_at, t.number
      limit ${count}
      for update of t skip locked
    ),
    ranked as (select id, row_number() over (order by created_at, number) as rank from picked)`;
}
