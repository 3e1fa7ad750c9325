// Aggregation into the reference schema (/work/shared/bench/results.json) and the comparison printout.
import { mean, percentile, summarize, type Summary } from "../shared/stats";
import type { RunResult } from "./run";

export const CHECKPOINTS = [25, 50, 100];

export interface ResultEntry {
  function: string;
  sampler: string;
  sampler_config: string;
  n_seeds: number;
  seeds: number[];
  n_trials: number;
  regret_at: Record<string, Summary>;
  best_value_at: Record<string, Summary>;
  per_seed_regret_at: Record<string, number[]>;
  timing_ms: Record<string, number | string | null>;
}

export function aggregate(runs: RunResult[], config: string, timingAt1000: { wall: number[]; cpu: number[] } | null, parallelWorkers: number): ResultEntry {
  const sorted = runs.slice().sort((a, b) => a.seed - b.seed);
  const { functionName, sampler, trials } = sorted[0];
  const at = (pick: (r: RunResult) => number[]) =>
    Object.fromEntries(CHECKPOINTS.filter((c) => c <= trials).map((c) => [String(c), summarize(sorted.map((r) => pick(r)[c - 1]))]));
  const allSuggest = sorted.flatMap((r) => r.suggestMs);
  const lastTen = sorted.flatMap((r) => r.suggestMs.slice(-10));
  return {
    function: functionName,
    sampler,
    sampler_config: config,
    n_seeds: sorted.length,
    seeds: sorted.map((r) => r.seed),
    n_trials: trials,
    regret_at: at((r) => r.regret),
    best_value_at: at((r) => r.bestValue),
    per_seed_regret_at: Object.fromEntries(CHECKPOINTS.filter((c) => c <= trials).map((c) => [String(c), sorted.map((r) => r.regret[c - 1])])),
    timing_ms: {
      suggest_mean_over_all_trials: mean(allSuggest),
      suggest_mean_trials_91_100: mean(lastTen),
      suggest_median_trial_100: percentile(sorted.map((r) => r.suggestMs[r.suggestMs.length - 1]), 50),
      tell_mean: mean(sorted.flatMap((r) => r.tellMs)),
      wall_s_per_run_median: percentile(sorted.map((r) => r.wallS), 50),
      suggest_mean_at_n1000: timingAt1000 ? mean(timingAt1000.wall) : null,
      suggest_median_at_n1000: timingAt1000 ? percentile(timingAt1000.wall, 50) : null,
      suggest_cpu_mean_trials_91_100: mean(sorted.flatMap((r) => r.suggestCpuMs.slice(-10))),
      suggest_cpu_mean_at_n1000: timingAt1000 ? mean(timingAt1000.cpu) : null,
      parallel_benchmark_workers: parallelWorkers,
      others_busy_cores_during: null,
    },
  };
}

interface ReferenceEntry {
  function: string;
  sampler: string;
  regret_at: Record<string, { median: number }>;
}

/** Per function and checkpoint: our best sampler's median regret over the best Optuna sampler's. */
export function comparisonTable(ours: ResultEntry[], reference: ReferenceEntry[] | null): string {
  const lines: string[] = [];
  const functions = [...new Set(ours.map((e) => e.function))];
  const header = ["function", "ckpt", "best optuna (sampler)", "ours best (sampler)", "ratio", ...new Set(ours.map((e) => e.sampler))];
  lines.push(header.join(" | "));
  for (const fn of functions) {
    for (const c of CHECKPOINTS.map(String)) {
      const mine = ours.filter((e) => e.function === fn && e.regret_at[c]);
      if (mine.length === 0) continue;
      const best = mine.reduce((a, b) => (b.regret_at[c].median < a.regret_at[c].median ? b : a));
      const theirs = (reference ?? []).filter((e) => e.function === fn && e.regret_at[c]);
      const ref = theirs.length ? theirs.reduce((a, b) => (b.regret_at[c].median < a.regret_at[c].median ? b : a)) : null;
      const ratio = ref ? best.regret_at[c].median / ref.regret_at[c].median : NaN;
      const bar = c === "25" ? 1.0 : 0.7;
      lines.push(
        [
          fn,
          c,
          ref ? `${fmt(ref.regret_at[c].median)} (${ref.sampler})` : "n/a",
          `${fmt(best.regret_at[c].median)} (${best.sampler})`,
          ref ? `${ratio.toFixed(3)} ${ratio <= bar ? "PASS" : "FAIL"} (bar ${bar})` : "n/a",
          ...mine.map((e) => (ref ? `${e.sampler} ${(e.regret_at[c].median / ref.regret_at[c].median).toFixed(3)}` : `${e.sampler} ${fmt(e.regret_at[c].median)}`)),
        ].join(" | "),
      );
    }
  }
  return lines.join("\n");
}

export function timingTable(ours: ResultEntry[]): string {
  const lines = ["function | sampler | suggest ms mean (all) | trials 91-100 | at n=1000 | cpu ms: trials 91-100 | at n=1000"];
  for (const e of ours) {
    const t = e.timing_ms;
    lines.push(
      [e.function, e.sampler, t.suggest_mean_over_all_trials, t.suggest_mean_trials_91_100, t.suggest_mean_at_n1000, t.suggest_cpu_mean_trials_91_100, t.suggest_cpu_mean_at_n1000]
        .map((v) => (typeof v === "string" ? v : fmt(v)))
        .join(" | "),
    );
  }
  return lines.join("\n");
}

function fmt(v: unknown): string {
  return typeof v === "number" ? (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(2)) : "n/a";
}
