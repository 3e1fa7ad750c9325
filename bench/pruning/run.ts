// One benchmark run (sampler × pruner × seed) at a trial budget or an epoch budget, as bench_pruning.py's run_one.
import type { Pruner } from "../../search/types";
import { BenchStudy, runTrial } from "./driver";
import { EPOCHS, epochNoise, toCnnConfig, trueAccuracy, curveParams, ACC0 } from "./learning-curve";
import type { BenchSampler } from "./samplers";

export type Budget = { kind: "trials"; trials: number } | { kind: "epochs"; epochs: number };

export interface RunResult {
  seed: number;
  epochs: number;
  n_trials: number;
  n_complete: number;
  n_pruned: number;
  best_final_observed: number;
  best_final_true: number;
  regret_true: number;
  /** Regret of the truly best complete trial: what a noise-free choice among the same trials would give. */
  oracle_regret_true: number;
  /** Regret of the truly best trial proposed, pruned or not: how good the sampler's proposals were. */
  proposal_regret_true: number;
}

export function runOne(sampler: BenchSampler, makePruner: () => Pruner, seed: number, budget: Budget, optimum: number): RunResult {
  const study = new BenchStudy("maximize", seed);
  const pruner = makePruner();
  const propose = sampler.create(seed);
  const observe = (params: Parameters<typeof toCnnConfig>[0], trialNumber: number) => {
    const { a, c } = curveParams(toCnnConfig(params));
    const noise = epochNoise(seed, trialNumber);
    return (epoch: number) => a - (a - ACC0) * Math.exp(-c * epoch) + noise[epoch - 1];
  };
  let epochs = 0;
  let nComplete = 0;
  let bestObserved = -1;
  let bestTrue = NaN;
  let oracleTrue = -1;
  let proposalTrue = -1;
  while (budget.kind === "trials" ? study.size < budget.trials : epochs < budget.epochs) {
    const outcome = runTrial(study, pruner, propose, observe, EPOCHS);
    epochs += outcome.epochs;
    proposalTrue = Math.max(proposalTrue, trueAccuracy(toCnnConfig(outcome.params), EPOCHS));
    if (outcome.state !== "complete") continue;
    nComplete++;
    oracleTrue = Math.max(oracleTrue, trueAccuracy(toCnnConfig(outcome.params), EPOCHS));
    if (outcome.finalObserved! > bestObserved) {
      bestObserved = outcome.finalObserved!;
      bestTrue = trueAccuracy(toCnnConfig(outcome.params), EPOCHS);
    }
  }
  return {
    seed,
    epochs,
    n_trials: study.size,
    n_complete: nComplete,
    n_pruned: study.size - nComplete,
    best_final_observed: bestObserved,
    best_final_true: bestTrue,
    regret_true: optimum - bestTrue,
    oracle_regret_true: optimum - oracleTrue,
    proposal_regret_true: optimum - proposalTrue,
  };
}
