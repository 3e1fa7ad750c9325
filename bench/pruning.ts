// Part 2 benchmark: pruners on the synthetic learning-curve objective of ../shared/bench/README.md, at Optuna's
// trial budget (100 trials, 20 seeds) and equal epoch budget (2700 epochs, 10 seeds), ours beside Optuna's.
//   npm run bench:pruning -- [--out FILE] [--quick] [--seeds 20] [--epoch-budget-seeds 10] [--trials 100]
//                            [--samplers tpe,random,gp] [--pruners none,median,…] [--reference pruning_results.json]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PRUNER_CONFIGS } from "./pruning/configs";
import { C0, ACC0, CNN_SPACE, EPOCHS, NOISE_SD, trueOptimum } from "./pruning/learning-curve";
import { BARS, checkBars, formatTable, type ReferenceRow, type ResultRow, summarise } from "./pruning/report";
import { runOne } from "./pruning/run";
import { createGpSampler } from "../search/samplers/gp/index";
import { type BenchSampler, fromSampler, randomSampler, tpeSampler } from "./pruning/samplers";

const { values: args } = parseArgs({
  options: {
    out: { type: "string" },
    quick: { type: "boolean", default: false },
    seeds: { type: "string" },
    "epoch-budget-seeds": { type: "string" },
    trials: { type: "string", default: "100" },
    samplers: { type: "string", default: "tpe,random" },
    pruners: { type: "string" },
    reference: { type: "string", default: "../shared/bench/pruning_results.json" },
  },
});

const nTrials = Number(args.trials);
const seeds = Number(args.seeds ?? (args.quick ? 3 : 20));
const epochSeeds = Number(args["epoch-budget-seeds"] ?? (args.quick ? 2 : 10));
const fullEpochs = nTrials * EPOCHS;

const referencePath = resolve(args.reference as string);
const reference: ReferenceRow[] = existsSync(referencePath) ? JSON.parse(readFileSync(referencePath, "utf8")).results : [];
if (!reference.length) console.warn(`no Optuna reference at ${referencePath}: printing ours only`);

const available: BenchSampler[] = [];
for (const name of (args.samplers as string).split(",")) {
  if (name === "random") available.push(randomSampler(CNN_SPACE));
  else if (name === "tpe") {
    const tpe = await tpeSampler(CNN_SPACE);
    if (tpe) available.push(tpe);
    else console.warn("search/samplers/tpe is not available: skipping TPE");
  } else if (name === "gp") available.push(fromSampler("gp", CNN_SPACE, (seed) => createGpSampler({ seed })));
  else throw new Error(`unknown sampler ${name}`);
}
const configs = args.pruners ? PRUNER_CONFIGS.filter((c) => (args.pruners as string).split(",").includes(c.name)) : PRUNER_CONFIGS;

const t0 = performance.now();
const optimum = trueOptimum();
console.log(`noise-free optimum acc(${EPOCHS}) = ${optimum.value.toFixed(6)} at ${JSON.stringify(optimum.params)}`);
console.log("noise: N(0, 0.005²) per epoch from our seeded generator (mulberry32 + Box–Muller per (seed, trial)), not numpy's stream");

const rows: ResultRow[] = [];
for (const kind of ["trials", "epochs"] as const) {
  for (const sampler of available) {
    for (const config of configs) {
      if (kind === "epochs" && config.name === "none") continue; // identical to the trial-budget run
      const start = performance.now();
      const n = kind === "trials" ? seeds : epochSeeds;
      const budget = kind === "trials" ? ({ kind, trials: nTrials } as const) : ({ kind, epochs: fullEpochs } as const);
      const runs = Array.from({ length: n }, (_, seed) => runOne(sampler, config.create, seed, budget, optimum.value));
      const text = kind === "trials" ? `${nTrials} trials` : `${fullEpochs} epochs (= no-pruning cost of ${nTrials} trials)`;
      const row = summarise(kind, text, sampler.name, config.name, config.description, runs, fullEpochs, (performance.now() - start) / 1000);
      rows.push(row);
      console.log(
        `[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${kind.padEnd(6)} ${sampler.name.padEnd(6)} ${config.name.padEnd(22)} ` +
          `epochs ${row.epoch_fraction_vs_no_pruning.median.toFixed(3)}  trials ${row.n_trials.median.toFixed(0)}  ` +
          `complete ${row.n_complete.median.toFixed(0)}  regret ${row.regret_true.median.toFixed(4)}`,
      );
    }
  }
}

const bars = checkBars(rows, reference);
console.log(`\n${formatTable(rows, reference)}\n`);
for (const bar of bars) console.log(`${bar.pass ? "PASS" : "FAIL"}  ${bar.name}\n      ours:   ${bar.ours}\n      Optuna: ${bar.optuna}`);

if (args.out) {
  const out = resolve(args.out as string);
  mkdirSync(dirname(out), { recursive: true });
  const meta = {
    epochs_per_full_trial: EPOCHS,
    c0: C0,
    acc0: ACC0,
    noise_sd: NOISE_SD,
    n_trials: nTrials,
    n_seeds: seeds,
    epoch_budget_seeds: epochSeeds,
    direction: "maximize",
    noise_rng: "mulberry32(mixSeed(seed, trial, salt)) + Box-Muller: same distribution as the reference, not numpy's stream",
    pruner_called_after_last_epoch: true,
    true_optimum_final_acc: optimum.value,
    true_optimum_params: optimum.params,
    samplers: available.map((s) => s.name),
    total_wall_s: (performance.now() - t0) / 1000,
    metric_notes:
      "As the reference, plus oracle_regret_true (truly best complete trial) and proposal_regret_true (truly best trial proposed).",
    bars: BARS,
  };
  writeFileSync(out, JSON.stringify({ schema: "sweepboard/pruning/v1", meta, results: rows, bars }, null, 1));
  console.log(`wrote ${out}`);
}
