// The study views the dashboard shows for a sweep (importance, optimisation history, parallel coordinates,
// slices), computed from the stored trials by the search library. Bounded whatever the sweep's size: it reads the
// trial rows only (analysis-trials.ts), the per-trial views draw at most DRAWN_TRIALS trials, and each result is
// cached per sweep version.
import { optimizationHistory, parallelCoordinates, sliceData, type OptimizationHistory, type ParallelCoordinates, type SlicePanel } from "../../search/analysis/index";
import { pedAnovaImportance, type ParamImportance } from "../../search/importance/index";
import type { SearchSpace } from "../../search/types";
import type { Database } from "../db/client";
import { drawnTrials, loadAnalysisTrials } from "./analysis-trials";
import { searchSpaceOf } from "./sweep-document";
import type { SweepRow } from "./sweep-store";
import { sweepVersion, VersionCache } from "./version-cache";

/** Per-trial views beyond this many trials are unreadable and heavy (one line or dot each): the best DRAWN_BEST and
 *  an even sample of the rest are drawn. Importance and history use every trial. */
export const DRAWN_TRIALS = 2_000;
export const DRAWN_BEST = 500;

export interface SweepAnalysis {
  metric: { name: string; goal: "maximize" | "minimize" };
  importance: ParamImportance[];
  history: OptimizationHistory;
  parallelCoordinates: ParallelCoordinates;
  slices: SlicePanel[];
  /** Which trials parallel coordinates and slices draw: all `of` trials with a result, or (`sampled`) the best
   *  `best` of them and an even sample of the rest, `drawn` in all. For a note like "2,000 of 10,000 trials shown". */
  drawn: { drawn: number; of: number; sampled: boolean; best: number };
}

export async function analyseSweep(db: Database, sweep: Pick<SweepRow, "id" | "document">): Promise<SweepAnalysis> {
  const { metric } = sweep.document;
  const trials = await loadAnalysisTrials(db, sweep.id);
  const space = searchedParameters(searchSpaceOf(sweep.document));
  const drawn = drawnTrials(trials, metric.goal, DRAWN_TRIALS, DRAWN_BEST);
  const sampled = drawn.length < trials.length;
  return {
    metric,
    importance: pedAnovaImportance(trials, space, metric.goal),
    history: optimizationHistory(trials, metric.goal),
    parallelCoordinates: parallelCoordinates(drawn, space, metric.goal, metric.name),
    slices: sliceData(drawn, space),
    drawn: { drawn: drawn.length, of: trials.length, sampled, best: sampled ? DRAWN_BEST : drawn.length },
  };
}

/** analyseSweep per sweep version: a finished sweep is analysed once, a live one at most every ~2 s. */
export class AnalysisCache {
  private readonly cache = new VersionCache<SweepAnalysis>({ maxEntries: 32 });

  constructor(private readonly db: Database) {}

  get(sweep: Pick<SweepRow, "id" | "document">): Promise<SweepAnalysis> {
    return this.cache.get(sweep.id, () => sweepVersion(this.db, sweep.id), () => analyseSweep(this.db, sweep));
  }
}

/** Constants are not searched: they would only add flat axes and zero importances. */
function searchedParameters(space: SearchSpace): SearchSpace {
  return Object.fromEntries(Object.entries(space).filter(([, parameter]) => parameter.spec.kind !== "constant"));
}
