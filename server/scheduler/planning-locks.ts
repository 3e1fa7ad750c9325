// Which sweeps this server instance plans. With several instances on one PostgreSQL database each runs a scheduler,
// and a sweep is planned (topped up, started, finished) only by the instance holding its session advisory lock.
// The locks live on a connection of their own: when an instance dies, even by kill -9, PostgreSQL ends that session
// and frees its locks, and the next instance to try takes the sweep over. Claims, reports and lease expiry need no
// lock (they are guarded updates), and trial inserts stay guarded by the unique (sweep, number) key, so a lock lost
// unnoticed for a moment costs at most a refused batch of proposals, never a duplicate trial.
import postgres from "postgres";
import { postgresClaimWakeups, type ClaimWakeups } from "./claim-wakeups";

export interface PlanningLocks {
  /** Whether this instance plans the sweep now, taking its lock when it is free. */
  mayPlan(sweepId: string): Promise<boolean>;
  /** Gives up the locks of sweeps no longer active, so that whoever resumes one may plan it. */
  retainOnly(activeSweepIds: ReadonlySet<string>): Promise<void>;
  /** Instances sharing the database wake each other when trials become claimable; absent for a sole planner. */
  wakeups?: ClaimWakeups;
  close(): Promise<void>;
}

/** One process on the database (PGlite, or a single server): it plans every sweep. */
export const SOLE_PLANNER: PlanningLocks = { mayPlan: async () => true, retainOnly: async () => {}, close: async () => {} };

const lockKey = (sql: postgres.Sql, sweepId: string) => sql`hashtextextended(${`sweepboard:plan:${sweepId}`}, 0)`;

export function advisoryPlanningLocks(url: string): PlanningLocks {
  // One connection (every lock on the same session), never recycled on a timer: recycling would drop the locks.
  // A short keepalive notices a vanished database host sooner.
  const sql = postgres(url, { max: 1, max_lifetime: 0, idle_timeout: 0, keep_alive: 10, onnotice: () => {} });
  const held = new Set<string>();
  let session: number | null = null;
  // Created with the locks because it serves the same instances (the scheduler finds it here, wiring unchanged).
  const wakeups = postgresClaimWakeups(url);

  /** Takes the lock unless this session holds it already (session locks stack: taking one twice needs two unlocks).
   *  The backend pid tells whether the session is still the one that took `held`: after a reconnect it is empty. */
  const attempt = async (sweepId: string, heldHere: boolean): Promise<{ pid: number; locked: boolean }> => {
    const [row] = await sql<{ pid: number; locked: boolean }[]>`
      select pg_backend_pid() as pid, case when ${heldHere} then true else pg_try_advisory_lock(${lockKey(sql, sweepId)}) end as locked`;
    return row;
  };

  return {
    wakeups,
    async mayPlan(sweepId) {
      let result = await attempt(sweepId, held.has(sweepId));
      if (result.pid !== session) {
        const assumedHeld = held.has(sweepId);
        held.clear();
        session = result.pid;
        if (assumedHeld) result = await attempt(sweepId, false);
      }
      if (result.locked) held.add(sweepId);
      return result.locked;
    },
    async retainOnly(active) {
      for (const sweepId of held) {
        if (active.has(sweepId)) continue;
        held.delete(sweepId);
        await sql`select pg_advisory_unlock(${lockKey(sql, sweepId)})`;
      }
    },
    async close() {
      held.clear();
      await Promise.all([sql.end({ timeout: 2 }), wakeups.close()]);
    },
  };
}
