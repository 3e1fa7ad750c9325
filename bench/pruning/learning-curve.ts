// Part 2 of ../shared/bench/README.md, exactly: the cnn_sweep space, its pseudo error, and the synthetic
// validation-accuracy curve acc(e) = a - (a - 0.10) exp(-c e) observed with N(0, 0.005²) noise per epoch.
import type { Params } from "../../search/parameters";
import type { SearchSpace } from "../../search/types";
import { createRng, mixSeed } from "../../search/rng";

export const EPOCHS = 27;
export const C0 = 1.0;
export const ACC0 = 0.1;
export const NOISE_SD = 0.005;
export const OPTIMIZERS = ["adam", "sgd", "rmsprop"] as const;
export const BATCH_SIZES = [16, 32, 64, 128] as const;
type Optimizer = (typeof OPTIMIZERS)[number];

/** (z0, w, off) per optimiser: log10 of the best lr at batch 16 / 1 layer, valley curvature, error offset. */
const OPT_CONST: Record<Optimizer, [number, number, number]> = {
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

/** Asymptotic accuracy a and learning speed c of a configuration. */
export function curveParams(x: CnnConfig): { a: number; c: number } {
  const a = 1 - cnnSweepError(x);
  const phi = Math.log2(x.filters / 16);
  const nu = Math.log2(x.units / 16);
  const d = Math.log10(x.lr) - lrOptimum(x.optimizer, x.layers, x.batch);
  const c = (C0 * 10 ** (0.2 * d) * Math.exp(-0.5 * d * d)) / (1 + 0.1 * (phi + nu)) / (1 + 0.15 * (x.layers - 1));
  return { a, c };
}

export function trueAccuracy(x: CnnConfig, epoch: number): number {
  const { a, c } = curveParams(x);
  return a - (a - ACC0) * Math.exp(-c * epoch);
}

/** Standard normal draws by Box–Muller from our seeded generator. Not numpy's default_rng stream: the noise has
 *  the README's distribution and independence per (seed, trial), not numpy's exact values. */
export function epochNoise(seed: number, trialNumber: number, n = EPOCHS, sd = NOISE_SD): number[] {
  const rand = createRng(mixSeed(seed, trialNumber, 0x6e6f6973));
  const out: number[] = [];
  while (out.length < n) {
    const u1 = 1 - rand(); // (0, 1]: log(0) is impossible
    const u2 = rand();
    const r = Math.sqrt(-2 * Math.log(u1));
    out.push(sd * r * Math.cos(2 * Math.PI * u2));
    if (out.length < n) out.push(sd * r * Math.sin(2 * Math.PI * u2));
  }
  return out;
}

/** max over the space of the noise-free acc(27): enumerate the discrete part, then a grid and a golden-section
 *  search on z = log10(lr), with everything that does not depend on z hoisted out of the inner loops. */
export function trueOptimum(): { value: number; params: CnnConfig } {
  let best = { value: -1, params: null as CnnConfig | null };
  const golden = (Math.sqrt(5) - 1) / 2;
  for (let filters = 16; filters <= 128; filters += 8) {
    for (let units = 16; units <= 256; units++) {
      for (let layers = 1; layers <= 4; layers++) {
        for (const optimizer of OPTIMIZERS) {
          for (const batch of BATCH_SIZES) {
            const base = { filters, units, layers, optimizer, batch };
            const zs = lrOptimum(optimizer, layers, batch);
            const w = OPT_CONST[optimizer][1];
            const errWithoutLr = cnnSweepError({ ...base, lr: 10 ** zs });
            const phi = Math.log2(filters / 16);
            const nu = Math.log2(units / 16);
            const speed = C0 / (1 + 0.1 * (phi + nu)) / (1 + 0.15 * (layers - 1));
            const accAt = (z: number) => {
              const d = z - zs;
              const a = 1 - errWithoutLr - w * d * d;
              return a - (a - ACC0) * Math.exp(-speed * 10 ** (0.2 * d) * Math.exp(-0.5 * d * d) * EPOCHS);
            };
            let bestZ = -4;
            let bestAcc = -1;
            for (let i = 0; i <= 60; i++) {
              const acc = accAt(-4 + i * 0.05);
              if (acc > bestAcc) [bestAcc, bestZ] = [acc, -4 + i * 0.05];
            }
            if (bestAcc < best.value - 0.01) continue;
            let lo = Math.max(-4, bestZ - 0.05);
            let hi = Math.min(-1, bestZ + 0.05);
            for (let k = 0; k < 60; k++) {
              const m1 = hi - golden * (hi - lo);
              const m2 = lo + golden * (hi - lo);
              if (accAt(m1) < accAt(m2)) lo = m1;
              else hi = m2;
            }
            const z = (lo + hi) / 2;
            const acc = trueAccuracy({ ...base, lr: 10 ** z }, EPOCHS);
            if (acc > best.value) best = { value: acc, params: { ...base, lr: 10 ** z } };
          }
        }
      }
    }
  }
  return { value: best.value, params: best.params as CnnConfig };
}
