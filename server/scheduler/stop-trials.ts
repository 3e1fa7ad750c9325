// Ends every unfinished trial of a stopped sweep in one guarded statement. One UPDATE per trial (each its own
// transaction) made stopping 1,000 sweeps take minutes; the state guard in the WHERE clause gives the same
// outcome per row as TrialStore.fail would: a trial that finished meanwhile is left alone.
import { and, eq, inArray, sql } from "drizzle-orm";
import { statesAllowedBefore } from "../../search/trial-state";
import type { Database } from "../db/client";
import { trials } from "../db/schema";
import type { TrialRow } from "./trial-store";

/** Fails the sweep's waiting and running trials with `reason`; returns the rows it changed (with their workers). */
export async function failUnfinishedTrials(db: Database, sweepId: string, reason: string): Promise<TrialRow[]> {
  return db
    .update(trials)
    .set({ state: "failed", error: reason, leaseExpiresAt: null, finishedAt: sql`now()` })
    .where(and(eq(trials.sweepId, sweepId), inArray(trials.state, statesAllowedBefore("failed"))))
    .returning();
}
