// Aggregates runs into the reference's result rows, pairs them with Optuna's, checks the bars, prints the table.
import type { RunResult } from "./run";
import { summarize, type Summary } from "../shared/stats";

export interface ResultRow {
  budget: string;
  budget_kind: "trials" | "epochs";
  sampler: string;
  pruner: string;
  pruner_config: string;
  n_seeds: number;
  epoch_fraction_vs_no_pruning: Summary;
  n_trials: Summary;
  n_complete: Summary;
  best_final_observed: Summary;
  best_final_true: Summary;
  regret_true: Summary;
  oracle_regret_true: Summary;
  proposal_regret_true: Summary;
  wall_s: number;
  per_seed: RunResult[];
}

export interface ReferenceRow {
  budget_kind: string;
  sampler: string;
  pruner: string;
  epoch_fraction_vs_no_pruning: Summary;
  n_trials: Summary;
  n_complete: Summary;
  regret_true: Summary;
}

export function summarise(
  kind: "trials" | "epochs",
  budgetText: string,
  sampler: string,
  pruner: string,
  prunerConfig: string,
  runs: RunResult[],
  fullEpochs: number,
  wallS: number,
): ResultRow {
  const of = (pick: (r: RunResult) => number) => summarize(runs.map(pick));
  return {
    budget: budgetText,
    budget_kind: kind,
    sampler,
    pruner,
    pruner_config: prunerConfig,
    n_seeds: runs.length,
    epoch_fraction_vs_no_pruning: of((r) => r.epochs / fullEpochs),
    n_trials: of((r) => r.n_trials),
    n_complete: of((r) => r.n_complete),
    best_final_observed: of((r) => r.best_final_observed),
    best_final_true: of((r) => r.best_final_true),
    regret_true: of((r) => r.regret_true),
    oracle_regret_true: of((r) => r.oracle_regret_true),
    proposal_regret_true: of((r) => r.proposal_regret_true),
    wall_s: wallS,
    per_seed: runs,
  };
}

export const BARS = { epochBudgetRegret: 0.002, trialBudgetEpochFraction: 0.3, trialBudgetRegret: 0.005 };

export interface BarVerdict {
  name: string;
  pass: boolean;
  ours: string;
  optuna: string;
}

export function checkBars(rows: ResultRow[], reference: ReferenceRow[]): BarVerdict[] {
  const best = <T extends { regret_true: Summary }>(list: T[]) => list.reduce<T | null>((b, r) => (!b || r.regret_true.median < b.regret_true.median ? r : b), null);
  const label = (r: { sampler: string; pruner: string; regret_true: Summary; epoch_fraction_vs_no_pruning: Summary } | null) =>
    r ? `${r.sampler}/${r.pruner}: regret ${r.regret_true.median.toFixed(4)} at ${r.epoch_fraction_vs_no_pruning.median.toFixed(3)} of the epochs` : "none";
  const ourEpoch = best(rows.filter((r) => r.budget_kind === "epochs"));
  const refEpoch = best(reference.filter((r) => r.budget_kind === "epochs"));
  const cheap = (r: ReferenceRow | ResultRow) => r.budget_kind === "trials" && r.epoch_fraction_vs_no_pruning.median <= BARS.trialBudgetEpochFraction;
  const ourCheap = best(rows.filter(cheap));
  const refCheap = best(reference.filter(cheap));
  return [
    {
      name: `equal epoch budget: median regret <= ${BARS.epochBudgetRegret}`,
      pass: !!ourEpoch && ourEpoch.regret_true.median <= BARS.epochBudgetRegret,
      ours: label(ourEpoch),
      optuna: label(refEpoch),
    },
    {
      name: `equal trial budget: <= ${BARS.trialBudgetEpochFraction * 100}% of the epochs with median regret <= ${BARS.trialBudgetRegret}`,
      pass: !!ourCheap && ourCheap.regret_true.median <= BARS.trialBudgetRegret,
      ours: label(ourCheap),
      optuna: label(refCheap),
    },
  ];
}

export function formatTable(rows: ResultRow[], reference: ReferenceRow[]): string {
  const s = (x: Summary, digits: number) => `${x.median.toFixed(digits)} [${x.q25.toFixed(digits)}, ${x.q75.toFixed(digits)}]`;
  const lines = [
    "| budget | sampler | pruner | epochs used (ours) | completed | regret (ours) | epochs used (Optuna) | completed | regret (Optuna) |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const ref = reference.find((x) => x.budget_kind === r.budget_kind && x.sampler === r.sampler && x.pruner === r.pruner);
    const theirs = ref ? `${s(ref.epoch_fraction_vs_no_pruning, 3)} | ${ref.n_complete.median.toFixed(0)} | ${s(ref.regret_true, 4)}` : "– | – | –";
    lines.push(
      `| ${r.budget_kind} | ${r.sampler} | ${r.pruner} | ${s(r.epoch_fraction_vs_no_pruning, 3)} | ${r.n_complete.median.toFixed(0)} | ${s(r.regret_true, 4)} | ${theirs} |`,
    );
  }
  return lines.join("\n");
}
