// The two claimers the scheduler benchmark times over a sweep with a standing queue of waiting trials: the scheduler
// (a worker says "idle", the scheduler ticks and claims, the worker gets its assignment) and the reference, the bare
// claim through the same driver. After each timed claim, a new waiting trial (untimed) keeps the queue at its size.
import { sql } from "drizzle-orm";
import { Study } from "../../search/study/study";
import type { Database } from "../../server/db/client";
import type { TrialRow } from "../../server/scheduler/trial-store";
import { samplerFor } from "../../server/sweeps/search-config";
import { searchSpaceOf, type SweepDocument } from "../../server/sweeps/sweep-document";
import { createSweep, DirectWorker, startInstance, type SchedulerInstance } from "../../test/support/direct-workers";
import { EXAMPLE_SWEEP } from "../../test/support/sweeps";

const SWEEP = { ...EXAMPLE_SWEEP, name: "bench-scheduler", budget: { max_trials: 10_000, concurrency: 64 } };

export interface Claimer {
  /** Milliseconds from asking to holding the next trial. */
  claimOnce(): Promise<number>;
  close(): Promise<void>;
}

/** A running sweep with `queued` waiting trials (parameters from its own sampler), and a top-up for each claim. */
async function standingQueue(instance: SchedulerInstance, queued: number): Promise<() => Promise<void>> {
  const sweepId = await createSweep(instance.sweeps, SWEEP);
  const sweep = (await instance.sweeps.get(sweepId))!;
  await instance.sweeps.setStatus(sweepId, "running");
  const study = Study.fromTrials([], { space: searchSpaceOf(sweep.document as SweepDocument), sampler: samplerFor("random"), seed: 1 });
  const next = (n: number) => Array.from({ length: n }, () => {
    const trial = study.ask().frozen();
    return { number: trial.number, params: trial.params, systemAttrs: {} };
  });
  for (let left = queued; left > 0; left -= 500) await instance.trials.insertAllWaiting(sweepId, next(Math.min(500, left)));
  return async () => void (await instance.trials.insertAllWaiting(sweepId, next(1)));
}

export async function schedulerClaimer(db: Database, queued: number): Promise<Claimer> {
  const instance = startInstance(db);
  const topUp = await standingQueue(instance, queued);
  const worker = new DirectWorker(instance, "bench-worker");
  return {
    async claimOnce() {
      const start = performance.now();
      const job = await worker.nextJob();
      const elapsed = performance.now() - start;
      if (!job) throw new Error("no trial assigned");
      await topUp();
      return elapsed;
    },
    async close() {
      worker.close();
      await instance.scheduler.stop();
    },
  };
}

/** The claim as trial-store.ts makes it, as bare SQL: oldest waiting trial of a running sweep, skipping locked rows,
 *  then the guarded update, in one transaction (with the same commit mode unless `durable`). */
export async function referenceClaimer(db: Database, queued: number, durable = false): Promise<Claimer> {
  const topUp = await standingQueue(startInstance(db), queued);
  return {
    async claimOnce() {
      const start = performance.now();
      const row = await db.transaction(async (tx) => {
        if (!durable) await tx.execute(sql`set local synchronous_commit = off`);
        const [next] = rowsOf<{ id: string }>(await tx.execute(sql`
          select t.id from trials t join sweeps s on s.id = t.sweep_id
          where t.state = 'waiting' and s.status = 'running'
          order by t.created_at, t.number limit 1 for update of t skip locked`));
        if (!next) return null;
        const [claimed] = rowsOf<TrialRow>(await tx.execute(sql`
          update trials set state = 'running', worker_id = 'ref', worker_name = 'ref',
            lease_expires_at = now() + interval '60 seconds', started_at = now()
          where id = ${next.id} and state = 'waiting' returning *`));
        return claimed ?? null;
      });
      const elapsed = performance.now() - start;
      if (!row) throw new Error("no trial claimed");
      await topUp();
      return elapsed;
    },
    async close() {},
  };
}

/** postgres.js answers with the rows themselves, PGlite with `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
