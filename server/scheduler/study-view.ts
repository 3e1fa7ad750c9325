// A sweep's trials as the search library sees them (FrozenTrial), rebuilt from the database, so samplers and
// pruners decide from what is stored: any server process, restarted or not, decides the same way.
import { asc, eq, inArray } from "drizzle-orm";
import type { Params } from "../../search/parameters";
import type { FrozenTrial, StudyView } from "../../search/types";
import type { TrialStateName } from "../../search/trial-state";
import type { Database } from "../db/client";
import { trialEpochs, trials } from "../db/schema";
import type { SweepDocument } from "../sweeps/sweep-document";

export async function loadFrozenTrials(db: Database, sweepId: string, metric: string): Promise<FrozenTrial[]> {
  const rows = await db.select().from(trials).where(eq(trials.sweepId, sweepId)).orderBy(asc(trials.number));
  if (rows.length === 0) return [];
  const epochs = await db
    .select({ trialId: trialEpochs.trialId, attempt: trialEpochs.attempt, epoch: trialEpochs.epoch, metrics: trialEpochs.metrics })
    .from(trialEpochs)
    .where(inArray(trialEpochs.trialId, rows.map((r) => r.id)));
  const attemptOf = new Map(rows.map((r) => [r.id, r.attempt]));
  const intermediate = new Map<string, Record<number, number>>();
  for (const e of epochs) {
    const value = e.metrics[metric];
    if (value === undefined || e.attempt !== attemptOf.get(e.trialId)) continue; // only the current attempt counts
    const steps = intermediate.get(e.trialId) ?? {};
    steps[e.epoch] = value;
    intermediate.set(e.trialId, steps);
  }
  return rows.map((row) => ({
    number: row.number,
    state: row.state,
    params: row.params as Params,
    value: row.state === "complete" ? row.value : null,
    intermediate: intermediate.get(row.id) ?? {},
    systemAttrs: row.systemAttrs,
  }));
}

export function studyViewOf(document: SweepDocument, frozen: readonly FrozenTrial[]): StudyView {
  return {
    direction: document.metric.goal,
    seed: document.seed,
    trials: (states?: readonly TrialStateName[]) => (states ? frozen.filter((t) => states.includes(t.state)) : frozen),
  };
}
