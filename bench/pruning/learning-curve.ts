// Part 2 of ../shared/bench/README.md, exactly: the cnn_sweep space, its pseudo error, and the synthetic
// validation-accuracy curve acc(e) = a - (a - 0.10) exp(-c e) observed with N(0, 0.005²) noise per epoch.
import { createRng, mixSeed } from "../../search/rng";
import { BATCH_SIZES, OPTIMIZERS, OPT_CONST, cnnSweepError, lrOptimum, type CnnConfig } from "../shared/cnn-sweep";

export { BATCH_SIZES, CNN_SPACE, OPTIMIZERS, cnnSweepError, lrOptimum, toCnnConfig, type CnnConfig } from "../shared/cnn-sweep";

export const EPOCHS = 27;
export const C0 = 1.0;
export const ACC0 = 0.1;
export const NOISE_SD = 0.005;


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
