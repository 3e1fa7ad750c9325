// The pruner configurations benchmarked: Optuna's five from bench_pruning.py, mirrored, plus ours for noisy,
// crossing learning curves (a curve forecast instead of today's value; see search/pruners/forecast.ts).
import { anyOf, createPruner } from "../../search/pruners/index";
import type { Pruner } from "../../search/types";
import { EPOCHS } from "./learning-curve";

export interface PrunerConfig {
  name: string;
  description: string;
  create: () => Pruner;
  /** Present in Optuna's reference results under this name. */
  optuna: boolean;
}

export const PRUNER_CONFIGS: PrunerConfig[] = [
  { name: "none", optuna: true, description: 'createPruner("none")', create: () => createPruner("none") },
  { name: "median", optuna: true, description: 'createPruner("median") // nStartupTrials 5, nWarmupSteps 0', create: () => createPruner("median") },
  {
    name: "median_warmup5",
    optuna: true,
    description: 'createPruner("median", { nWarmupSteps: 5 })',
    create: () => createPruner("median", { nWarmupSteps: 5 }),
  },
  {
    name: "successive_halving",
    optuna: true,
    description: 'createPruner("asha", { minResource: 1, reductionFactor: 4 })',
    create: () => createPruner("asha", { minResource: 1, reductionFactor: 4 }),
  },
  {
    name: "hyperband",
    optuna: true,
    description: `createPruner("hyperband", { minResource: 1, maxResource: ${EPOCHS}, reductionFactor: 3 }) // 4 brackets`,
    create: () => createPruner("hyperband", { minResource: 1, maxResource: EPOCHS, reductionFactor: 3 }),
  },
  {
    name: "median_forecast",
    optuna: false,
    description: `createPruner("median", { nWarmupSteps: 4, forecastHorizon: ${EPOCHS} })`,
    create: () => createPruner("median", { nWarmupSteps: 4, forecastHorizon: EPOCHS }),
  },
  {
    name: "percentile40_forecast",
    optuna: false,
    description: `createPruner("percentile", { percentile: 40, nWarmupSteps: 3, forecastHorizon: ${EPOCHS}, smoothingWindow: 3 })`,
    create: () => createPruner("percentile", { percentile: 40, nWarmupSteps: 3, forecastHorizon: EPOCHS, smoothingWindow: 3 }),
  },
  {
    // Rungs at 3 and 9 (rung 0 where a 3-point curve fit first exists), ranked by forecast for the last epoch.
    name: "asha_forecast",
    optuna: false,
    description: `createPruner("asha", { minResource: 3, reductionFactor: 3, maxResource: ${EPOCHS}, forecastHorizon: ${EPOCHS} })`,
    create: () => createPruner("asha", { minResource: 3, reductionFactor: 3, maxResource: EPOCHS, forecastHorizon: EPOCHS }),
  },
  {
    name: "hyperband_forecast",
    optuna: false,
    description: `createPruner("hyperband", { minResource: 1, maxResource: ${EPOCHS}, reductionFactor: 3, forecastHorizon: ${EPOCHS} })`,
    create: () => createPruner("hyperband", { minResource: 1, maxResource: EPOCHS, reductionFactor: 3, forecastHorizon: EPOCHS }),
  },
  {
    // ASHA by forecast for the cheap early rungs; past its last rung, the percentile-forecast rule against complete trials.
    name: "asha_forecast+percentile40",
    optuna: false,
    description:
      `anyOf(createPruner("asha", { minResource: 3, reductionFactor: 3, maxResource: ${EPOCHS}, forecastHorizon: ${EPOCHS} }), ` +
      `createPruner("percentile", { percentile: 40, nWarmupSteps: 9, forecastHorizon: ${EPOCHS}, smoothingWindow: 3 }))`,
    create: () =>
      anyOf(
        createPruner("asha", { minResource: 3, reductionFactor: 3, maxResource: EPOCHS, forecastHorizon: EPOCHS }),
        createPruner("percentile", { percentile: 40, nWarmupSteps: 9, forecastHorizon: EPOCHS, smoothingWindow: 3 }),
      ),
  },
];
