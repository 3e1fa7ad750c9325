// Derived views of a sweep for the page: leaderboard order, progress, learning-curve series.
import type { ParamValue } from "../../search/parameters";
import type { SweepDocument } from "../../server/sweeps/sweep-document";
import type { SweepDetail } from "../../server/sweeps/types";
import { TEMPLATES } from "../../server/training/template-parameters";
import type { LiveTrial } from "./sweep-state";

export type Goal = "maximize" | "minimize";

export interface RankedTrial {
  /** 1-based position among complete and running trials that have a value; null for the rest. */
  rank: number | null;
  trial: LiveTrial;
}

/** A live leaderboard: complete and running trials with a value, best first per the goal (ties by trial number);
 *  then the rest (waiting, failed, pruned) by trial number. A failed trial's last value is not a result, nor is a
 *  pruned trial's: it was stopped early, so its value is an unfinished curve, not comparable with full trainings. */
export function rankTrials(trials: LiveTrial[], goal: Goal): RankedTrial[] {
  const byNumber = (a: LiveTrial, b: LiveTrial) => a.number - b.number;
  const direction = goal === "maximize" ? -1 : 1;
  const isRanked = (t: LiveTrial) => t.value !== null && (t.state === "complete" || t.state === "running");
  const scored = trials.filter(isRanked).sort((a, b) => direction * ((a.value as number) - (b.value as number)) || byNumber(a, b));
  const unscored = trials.filter((t) => !isRanked(t)).sort(byNumber);
  return [...scored.map((trial, i) => ({ rank: i + 1, trial })), ...unscored.map((trial) => ({ rank: null, trial }))];
}

export interface SweepProgress {
  finished: number;
  running: number;
  /** Finished trials a pruner stopped early (counted in `finished` too). */
  pruned: number;
  maxTrials: number;
  bestValue: number | null;
}

/** Counted from the trials on the page, so progress moves with every trial event, not only sweep events. */
export function sweepProgress(detail: SweepDetail): SweepProgress {
  const { trials, sweep } = detail;
  const finished = trials.filter((t) => t.state === "complete" || t.state === "pruned" || t.state === "failed").length;
  const running = trials.filter((t) => t.state === "running").length;
  const pruned = trials.filter((t) => t.state === "pruned").length;
  const values = trials.filter((t) => t.state === "complete" && t.value !== null).map((t) => t.value as number);
  const best = values.length ? (sweep.metric.goal === "maximize" ? Math.max(...values) : Math.min(...values)) : null;
  return { finished, running, pruned, maxTrials: sweep.document.budget.max_trials, bestValue: best ?? sweep.bestValue };
}

export const trialLabel = (number: number) => `Trial ${number}`;

export interface LearningCurves {
  rows: Record<string, number>[];
  series: string[];
}

/** One row per epoch (x axis) and one series per trial that has reported the metric. */
export function learningCurves(trials: LiveTrial[], metric: string): LearningCurves {
  const rows = new Map<number, Record<string, number>>();
  const series: string[] = [];
  for (const trial of [...trials].sort((a, b) => a.number - b.number)) {
    const points = trial.history.filter((r) => Number.isFinite(r.metrics[metric]));
    if (!points.length) continue;
    const label = trialLabel(trial.number);
    series.push(label);
    for (const record of points) {
      const row = rows.get(record.epoch) ?? { epoch: record.epoch };
      row[label] = record.metrics[metric];
      rows.set(record.epoch, row);
    }
  }
  return { rows: [...rows.values()].sort((a, b) => a.epoch - b.epoch), series };
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
