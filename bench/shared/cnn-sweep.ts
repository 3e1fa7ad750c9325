// The invented mixed-space objective `cnn_sweep` of ../shared/bench/README.md, shared by the search benchmark
// (its error, minimised) and the pruning benchmark (its learning curves).
import type { Params } from "../../search/parameters";
import type { SearchSpace } from "../../search/types";

export const OPTIMIZERS = ["adam", "sgd", "rmsprop"] as const;
export const BATCH_SIZES = [16, 32, 64, 128] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];

/** (z0, w, off) per optimiser: log10 of the best lr at batch 16 / 1 layer, valley curvature, error offset. */
export const OPT_CONST: Record<Optimizer, [number, number, number]> = {
  adam: [-3.0, 0.03, 0.0],
  rmsprop: [-3.3, 0.04, 0.004],
  sgd: [-1.6, 0.05, 0.01],
};

/** Optuna's suggest_cnn: filters int 16..128 step 8, units int 16..256, layers 1..4, lr log 1e-4..1e-1. */
export const CNN_SPACE: SearchSpace = {
  filters: { spec: { kind: "int", min: 16, max: 128, log: false, q: 8 } },
  units: { spec: { kind: "int", min: 16, max: 256, log: false } },
  layers: { spec: { kind: "int", min: 1, max: 4, log: false } },
  optimizer: { spec: { kind: "categorical", values: [...OPTIMIZERS] } },
  lr: { spec: { kind: "float", min: 1e-4, max: 1e-1, log: true } },
  batch: { spec: { kind: "categorical", values: [...BATCH_SIZES] } },
};

export interface CnnConfig {
  filters: number;
  units: number;
  layers: number;
  optimizer: Optimizer;
  lr: number;
  batch: number;
}

export function toCnnConfig(p: Params): CnnConfig {
  return {
    filters: Number(p.filters),
    units: Number(p.units),
    layers: Number(p.layers),
    optimizer: p.optimizer as Optimizer,
    lr: Number(p.lr),
    batch: Number(p.batch),
  };
}

/** log10 of the accuracy-optimal learning rate (before clipping to the domain). */
export function lrOptimum(optimizer: Optimizer, layers: number, batch: number): number {
  return OPT_CONST[optimizer][0] + 0.15 * Math.log2(batch / 16) - 0.1 * (layers - 1);
}

/** Pseudo validation error of cnn_sweep (minimised in part 1). */
export function cnnSweepError(x: CnnConfig): number {
  const phi = Math.log2(x.filters / 16);
  const nu = Math.log2(x.units / 16);
  const z = Math.log10(x.lr);
  const beta = Math.log2(x.batch / 16);
  const [, w, off] = OPT_CONST[x.optimizer];
  const zs = lrOptimum(x.optimizer, x.layers, x.batch);
  return (
    0.07 +
    0.08 * Math.exp(-0.9 * phi) +
    0.05 * Math.exp(-0.8 * nu) +
    0.0025 * (phi + nu - 4.5) ** 2 +
    0.006 * (x.layers - 1 - 0.5 * phi) ** 2 +
    w * (z - zs) ** 2 +
    0.004 * (beta - 1) ** 2 +
    off
  );
}
