import { createPruner } from "../../../search/pruners/index";
import { runOne } from "../../../bench/pruning/run";
import { randomSampler, tpeSampler } from "../../../bench/pruning/samplers";
import { CNN_SPACE } from "../../../bench/pruning/learning-curve";
import { stats } from "../../../bench/pruning/stats";
const OPT = 0.9144311815017697;
const configs: Record<string, () => any> = {
  none: () => createPruner("none"),
  median: () => createPruner("median"),
  median_warmup5: () => createPruner("median", { nWarmupSteps: 5 }),
  successive_halving: () => createPruner("successive-halving", {}),
  hyperband: () => createPruner("hyperband", { maxResource: 27 }),
  fc35_w2_s1: () => createPruner("percentile", { percentile: 35, nWarmupSteps: 2, forecastHorizon: 27, smoothingWindow: 1 }),
  fc35_w2_s3: () => createPruner("percentile", { percentile: 35, nWarmupSteps: 2, forecastHorizon: 27, smoothingWindow: 3 }),
  fc35_w3_s1: () => createPruner("percentile", { percentile: 35, nWarmupSteps: 3, forecastHorizon: 27, smoothingWindow: 1 }),
  fc35_w3_s3: () => createPruner("percentile", { percentile: 35, nWarmupSteps: 3, forecastHorizon: 27, smoothingWindow: 3 }),
  fc40_w2_s1: () => createPruner("percentile", { percentile: 40, nWarmupSteps: 2, forecastHorizon: 27, smoothingWindow: 1 }),
  fc40_w2_s3: () => createPruner("percentile", { percentile: 40, nWarmupSteps: 2, forecastHorizon: 27, smoothingWindow: 3 }),
  fc40_w3_s1: () => createPruner("percentile", { percentile: 40, nWarmupSteps: 3, forecastHorizon: 27, smoothingWindow: 1 }),
  fc40_w3_s3: () => createPruner("percentile", { percentile: 40, nWarmupSteps: 3, forecastHorizon: 27, smoothingWindow: 3 }),
  fc50_w2_s1: () => createPruner("percentile", { percentile: 50, nWarmupSteps: 2, forecastHorizon: 27, smoothingWindow: 1 }),
  fc50_w2_s3: () => createPruner("percentile", { percentile: 50, nWarmupSteps: 2, forecastHorizon: 27, smoothingWindow: 3 }),
  fc50_w3_s1: () => createPruner("percentile", { percentile: 50, nWarmupSteps: 3, forecastHorizon: 27, smoothingWindow: 1 }),
  fc50_w3_s3: () => createPruner("percentile", { percentile: 50, nWarmupSteps: 3, forecastHorizon: 27, smoothingWindow: 3 }),
  fc_p50_w3: () => createPruner("median", { nWarmupSteps: 3, forecastHorizon: 27 }),
  fc_p50_w4: () => createPruner("median", { nWarmupSteps: 4, forecastHorizon: 27 }),
  fc_p25_w4: () => createPruner("percentile", { percentile: 25, nWarmupSteps: 4, forecastHorizon: 27 }),
  fc_p25_w4_s3: () => createPruner("percentile", { percentile: 25, nWarmupSteps: 4, forecastHorizon: 27, smoothingWindow: 3 }),
  fc_p25_w5_s3: () => createPruner("percentile", { percentile: 25, nWarmupSteps: 5, forecastHorizon: 27, smoothingWindow: 3 }),
  fc_p10_w4_s3: () => createPruner("percentile", { percentile: 10, nWarmupSteps: 4, forecastHorizon: 27, smoothingWindow: 3 }),
  fc_p10_w6_s3: () => createPruner("percentile", { percentile: 10, nWarmupSteps: 6, forecastHorizon: 27, smoothingWindow: 3 }),
};
const which = (process.argv[2] ?? "random").split(",");
const budgetKind = process.argv[3] ?? "trials";
const seeds = Number(process.argv[4] ?? 20);
const only = process.argv[5]?.split(",");
const samplers = { random: randomSampler(CNN_SPACE), tpe: await tpeSampler(CNN_SPACE), mtpe: await tpeSampler(CNN_SPACE, { multivariate: true }) };
for (const s of which) for (const [name, mk] of Object.entries(configs)) {
  if (only && !only.includes(name)) continue;
  if (budgetKind === "epochs" && name === "none") continue;
  const t = performance.now();
  const runs = Array.from({ length: seeds }, (_, seed) => runOne((samplers as any)[s], mk, seed, budgetKind === "trials" ? { kind: "trials", trials: 100 } : { kind: "epochs", epochs: 2700 }, OPT));
  const f = (k: string) => stats(runs.map((r: any) => r[k]));
  console.log(s.padEnd(7), name.padEnd(20), "ep", (f("epochs").median / 2700).toFixed(3), "trials", f("n_trials").median, "compl", f("n_complete").median, "obs", f("best_final_observed").median.toFixed(4), "regret", f("regret_true").median.toFixed(4), `[${f("regret_true").q25.toFixed(4)}, ${f("regret_true").q75.toFixed(4)}]`, "oracle", f("oracle_regret_true").median.toFixed(4), "prop", f("proposal_regret_true").median.toFixed(4), ((performance.now() - t) / 1000).toFixed(1) + "s");
}
