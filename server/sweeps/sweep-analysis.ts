// The study views the dashboard shows for a sweep (importance, optimisation history, parallel coordinates,
// slices), computed from the stored trials by the search library.
import { optimizationHistory, parallelCoordinates, sliceData, type OptimizationHistory, type ParallelCoordinates, type SlicePanel } from "../../search/analysis/index";
import { pedAnovaImportance, type ParamImportance } from "../../search/importance/index";
import type { SearchSpace } from "../../search/types";
import type { Database } from "../db/client";
import { loadFrozenTrials } from "../scheduler/study-view";
import { searchSpaceOf } from "./sweep-document";
import type { SweepRow } from "./sweep-store";

export interface SweepAnalysis {
  metric: { name: string; goal: "maximize" | "minimize" };
  importance: ParamImportance[];
  history: OptimizationHistory;
  parallelCoordinates: ParallelCoordinates;
  slices: SlicePanel[];
}

export async function analyseSweep(db: Database, sweep: Pick<SweepRow, "id" | "document">): Promise<SweepAnalysis> {
  const { metric } = sweep.document;
  const trials = await loadFrozenTrials(db, sweep.id, metric.name);
  const space = searchedParameters(searchSpaceOf(sweep.document));
  return {
    metric,
    importance: pedAnovaImportance(trials, space, metric.goal),
    history: optimizationHistory(trials, metric.goal),
    parallelCoordinates: parallelCoordinates(trials, space, metric.goal, metric.name),
    slices: sliceData(trials, space),
  };
}

/** Constants are not searched: they would only add flat axes and zero importances. */
function searchedParameters(space: SearchSpace): SearchSpace {
  return Object.fromEntries(Object.entries(space).filter(([, parameter]) => parameter.spec.kind !== "constant"));
}
