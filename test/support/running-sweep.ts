// A throwaway database with a running sweep, fresh for each test: the setup the store-level tests share.
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { DatabaseKind } from "../../server/db/client";
import { sweeps as sweepsTable } from "../../server/db/schema";
import { TrialStore, type TrialRow } from "../../server/scheduler/trial-store";
import { parseSweepDocument } from "../../server/sweeps/sweep-document";
import { SweepStore } from "../../server/sweeps/sweep-store";
import { createTestDatabase, type TestDatabase } from "./databases";
import { tinySweep } from "./sweeps";

export interface RunningSweep {
  database: TestDatabase;
  store: TrialStore;
  sweeps: SweepStore;
  sweepId: string;
  /** Inserts trial `number` (with `params`: 3 epochs unless they say otherwise) and hands it to `worker`. */
  claimed(number: number, worker: string, params?: TrialRow["params"]): Promise<TrialRow>;
}

/** Registers the hooks; read the fields inside tests (they are set before each one). */
export function useRunningSweep(kind: DatabaseKind): RunningSweep {
  const context = {
    async claimed(number: number, worker: string, params: TrialRow["params"] = {}) {
      await context.store.insertWaiting(context.sweepId, number, params);
      return (await context.store.claimNext(worker, worker))!;
    },
  } as RunningSweep;
  beforeAll(async () => {
    context.database = await createTestDatabase(kind);
    context.store = new TrialStore(context.database.handle.db, 60_000);
    context.sweeps = new SweepStore(context.database.handle.db);
  });
  afterAll(() => context.database.drop());
  beforeEach(async () => {
    await context.database.handle.db.delete(sweepsTable);
    const parsed = parseSweepDocument(tinySweep({ max_trials: 4, concurrency: 4 }));
    if (!parsed.ok) throw new Error("bad fixture");
    context.sweepId = (await context.sweeps.create(parsed.document)).id;
    await context.sweeps.setStatus(context.sweepId, "running");
  });
  return context;
}
