// What the sweep analysis reads: each result trial's number, params and final value, straight from the trial rows.
// The scheduler's loader (scheduler/study-view.ts) also reads every epoch row for the pruners; the analysis needs
// none of them, which at 10,000 trials × 50 epochs is the difference between 10k rows and 510k.
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Params } from "../../search/parameters";
import type { FrozenTrial } from "../../search/types";
import type { Database } from "../db/client";
import { trials } from "../db/schema";
import { RESULT_STATES } from "./read-queries";

/** Result trials with a value, by number, without intermediate values (the analysis views do not read them). */
export async function loadAnalysisTrials(db: Database, sweepId: string): Promise<FrozenTrial[]> {
  const rows = await db
    .select({ number: trials.number, state: trials.state, params: trials.params, value: trials.value })
    .from(trials)
    .where(and(eq(trials.sweepId, sweepId), inArray(trials.state, [...RESULT_STATES]), isNotNull(trials.value)))
    .orderBy(asc(trials.number));
  return rows.map((row) => ({ number: row.number, state: row.state, params: row.params as Params, value: row.value, intermediate: {}, systemAttrs: {} }));
}

/** Which trials the per-trial views (parallel coordinates, slices) draw when there are too many to draw them all:
 *  the best `best` by the goal, and an even sample of the rest by number, `max` in all, in number order. */
export function drawnTrials(done: readonly FrozenTrial[], goal: "maximize" | "minimize", max: number, best: number): FrozenTrial[] {
  if (done.length <= max) return [...done];
  const sign = goal === "maximize" ? -1 : 1;
  const ranked = [...done].sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.number - b.number);
  const top = ranked.slice(0, best);
  const rest = ranked.slice(best).sort((a, b) => a.number - b.number);
  const picked = [...top];
  const wanted = max - best;
  for (let i = 0; i < wanted; i++) picked.push(rest[Math.floor((i * rest.length) / wanted)]);
  return picked.sort((a, b) => a.number - b.number);
}
