// Derived views of a sweep for the page: progress and the leaderboard's parameter columns.
import type { ParamValue } from "../../search/parameters";
import type { SweepDocument } from "../../server/sweeps/sweep-document";
import type { SweepSummary } from "../../server/sweeps/types";
import { TEMPLATES } from "../../server/training/template-parameters";
import { countInStates, countOf, finishedCount } from "./trial-states";

export type Goal = "maximize" | "minimize";

export interface SweepProgress {
  finished: number;
  running: number;
  /** Finished trials a pruner stopped early (counted in `finished` too). */
  pruned: number;
  /** Every trial the sweep has created so far. */
  total: number;
  maxTrials: number;
  bestValue: number | null;
}

/** From the summary's counts (kept current by sweep:updated), not from the rows the page has loaded. */
export function sweepProgress(sweep: SweepSummary): SweepProgress {
  const counts = sweep.trialCounts;
  return {
    finished: finishedCount(counts),
    running: countOf(counts, "running"),
    pruned: countOf(counts, "pruned"),
    total: countInStates(counts, null),
    maxTrials: sweep.document.budget.max_trials,
    bestValue: sweep.bestValue,
  };
}

export interface ParameterColumns {
  /** Parameters that vary between trials: one leaderboard column each, in the template's order. */
  swept: string[];
  /** Parameters with a single value, shown once above the table instead of repeated on every row. */
  fixed: [string, ParamValue][];
}

/** The stored document's key order is not the user's (jsonb reorders keys), so order by the template. A swept
 *  per-layer parameter gets a column per layer (filters_1 … filters_N, as the search library names them). */
export function parameterColumns(document: SweepDocument): ParameterColumns {
  const templateOrder = Object.keys(TEMPLATES[document.model?.template ?? "cnn"].parameters);
  const position = (name: string) => (templateOrder.includes(name) ? templateOrder.indexOf(name) : templateOrder.length);
  const names = Object.keys(document.parameters).sort((a, b) => position(a) - position(b) || a.localeCompare(b));
  const columns: ParameterColumns = { swept: [], fixed: [] };
  for (const name of names) {
    const input = document.parameters[name];
    if (input.value !== undefined) columns.fixed.push([name, input.value]);
    else if (input.values?.length === 1) columns.fixed.push([name, input.values[0]]);
    else columns.swept.push(...(input.per_layer_of ? layerColumns(document, name, input.per_layer_of) : [name]));
  }
  return columns;
}

/** The most layers the count parameter allows (an integer constant or range: the search library accepts no other). */
function layerColumns(document: SweepDocument, name: string, count: string): string[] {
  const spec = document.parameters[count];
  const layers = Number(spec?.value ?? spec?.max ?? 0);
  return Array.from({ length: layers }, (_, i) => `${name}_${i + 1}`);
}
