// Log expected improvement and its maximisation over a mixed space. A quasi-random sweep plus perturbations of the
// best observations are scored in one batch; from the few best, L-BFGS climbs log EI along the active numeric
// coordinates (analytic gradient, ints relaxed), then a steepest-ascent pass over discrete neighbours (other
// categories, adjacent grid values) finishes. Every value that decides the outcome is an exact score of a legal
// (snapped) point; gradients only steer.
import { gaussian, logH } from "../shared-math";
import type { SpaceEncoding } from "./encoding";
import { minimizeLbfgsTogether, type Evaluation } from "./lbfgs";

/** log EI for minimisation of a GP with the given posterior, against incumbent value `best`. */
export function logExpectedImprovement(mean: number, variance: number, best: number): number {
  const sigma = Math.sqrt(variance);
  return Math.log(sigma) + logH((best - mean) / sigma);
}

export interface AcquisitionModel {
  /** log EI of `count` snapped points stored row by row in `points`, into `out`. */
  scoreBatch(points: Float64Array, count: number, out: Float64Array): void;
  /** log EI at each x (inactive coordinates NaN) and its gradient along that point's `free` coordinates. */
  scoreWithGradients(xs: readonly Float64Array[], free: readonly (readonly number[])[]): Evaluation[];
}

export interface AcquisitionSearch {
  encoding: SpaceEncoding;
  model: AcquisitionModel;
  /** Raw points of the best observations, best first. */
  incumbents: Float64Array[];
  /** Raw points of a space-filling sweep. */
  sweep: Float64Array[];
  rand: () => number;
}

export interface AcquisitionBudget {
  /** Points of the quasi-random sweep (the search's `sweep` should hold this many). */
  sweepSize: number;
  perturbationsPerIncumbent: number;
  localStarts: number;
  /** L-BFGS iterations per local start. */
  gradientIterations: number;
  /** Rounds of the discrete neighbour pass per local start. */
  discreteRounds: number;
  /** 0 for the best point; k for the k-th runner-up (the study re-asks when a proposal duplicated another trial). */
  rank: number;
}

interface Scored {
  raw: Float64Array;
  snapped: Float64Array;
  value: number;
}

export function maximizeAcquisition(search: AcquisitionSearch, budget: AcquisitionBudget): Float64Array {
  const { encoding, rand } = search;
  const raws = search.sweep.slice();
  for (const incumbent of search.incumbents)
    for (let i = 0; i < budget.perturbationsPerIncumbent; i++) raws.push(perturb(incumbent, encoding, rand, PERTURBATION_SCALES[i % PERTURBATION_SCALES.length]));
  const pool = scoreAll(raws, search);
  pool.sort((a, b) => b.value - a.value);
  const starts = distinctTop(pool, budget.localStarts + budget.rank);
  // Discrete neighbours are polished around the best few only: the rest rarely end up chosen.
  const refined = gradientAscent(starts, search, budget.gradientIterations)
    .sort((a, b) => b.value - a.value)
    .map((point, i) => (i < budget.rank + 2 ? discreteAscent(point, search, budget.discreteRounds) : point));
  const ranked = distinctTop([...refined, ...pool].sort((a, b) => b.value - a.value), budget.rank + 1);
  return ranked[Math.min(budget.rank, ranked.length - 1)].raw;
}

/** Training-set size at which the optimiser runs on its base budget. */
const EFFORT_REFERENCE_POINTS = 100;

/** The optimiser's effort for a posterior on n points. A prediction costs O(n²), so effort grows as (100/n)² below
 *  100 points (at most 16-fold): suggestion time stays roughly flat in n, and small studies, where every decision
 *  weighs most and predictions are cheap, get a far more thorough search of the acquisition surface. */
export function acquisitionBudget(n: number, rank: number): AcquisitionBudget {
  const scale = Math.min(16, Math.max(1, (EFFORT_REFERENCE_POINTS / n) ** 2));
  return {
    sweepSize: Math.round(32 * scale),
    perturbationsPerIncumbent: Math.round(6 * Math.sqrt(scale)),
    localStarts: 4,
    gradientIterations: Math.round(5 * Math.sqrt(scale)),
    discreteRounds: 2,
    rank,
  };
}

/** Local moves around incumbents at a few scales (from fine refinement to escaping a basin). */
const PERTURBATION_SCALES = [0.02, 0.1, 0.3];

function scoreAll(raws: Float64Array[], { encoding, model }: AcquisitionSearch): Scored[] {
  const dims = encoding.dims;
  const flat = new Float64Array(raws.length * dims);
  raws.forEach((raw, i) => encoding.snapInto(raw, flat, i * dims));
  const values = new Float64Array(raws.length);
  model.scoreBatch(flat, raws.length, values);
  return raws.map((raw, i) => ({ raw, snapped: flat.subarray(i * dims, (i + 1) * dims), value: values[i] }));
}

/** Gaussian moves on numeric coordinates; each categorical switches to another value with probability 1/D. */
function perturb(raw: Float64Array, encoding: SpaceEncoding, rand: () => number, scale: number): Float64Array {
  const out = Float64Array.from(raw);
  const flip = 1 / Math.max(1, encoding.dims);
  encoding.domains.forEach((domain, d) => {
    if (domain.kind === "categorical") {
      if (rand() < flip) out[d] = Math.floor(rand() * domain.values.length);
    } else out[d] = Math.min(1, Math.max(0, out[d] + scale * gaussian(rand)));
  });
  return out;
}

function distinctTop(pool: Scored[], count: number): Scored[] {
  const chosen: Scored[] = [];
  const seen = new Set<string>();
  for (const candidate of pool) {
    const key = candidate.snapped.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push(candidate);
    if (chosen.length === count) break;
  }
  return chosen;
}

/** L-BFGS on −log EI over the numeric coordinates active at each start (categoricals and the activity pattern
 *  held fixed), all starts in lock step; each result is snapped and kept only if its exact score is better. */
function gradientAscent(starts: Scored[], search: AcquisitionSearch, maxIterations: number): Scored[] {
  const { encoding, model } = search;
  const free = starts.map((start) => encoding.domains.flatMap((domain, d) => (domain.kind === "numeric" && !Number.isNaN(start.snapped[d]) ? [d] : [])));
  const moving = starts.flatMap((_, i) => (free[i].length > 0 && maxIterations > 0 ? [i] : []));
  if (moving.length === 0) return starts;
  const results = minimizeLbfgsTogether(
    (zs, runs) => {
      const xs = zs.map((z, k) => {
        const x = Float64Array.from(starts[moving[runs[k]]].snapped);
        free[moving[runs[k]]].forEach((d, f) => (x[d] = z[f]));
        return x;
      });
      return model.scoreWithGradients(xs, runs.map((run) => free[moving[run]])).map(({ value, grad }) => ({
        value: Number.isFinite(value) ? -value : Infinity,
        grad: grad.map((g) => -g),
      }));
    },
    moving.map((i) => Float64Array.from(free[i], (d) => starts[i].snapped[d])),
    // A small first step: log EI varies on the scale of the lengthscales, not of the whole box.
    moving.map((i) => ({
      lower: new Float64Array(free[i].length),
      upper: new Float64Array(free[i].length).fill(1),
      maxIterations,
      maxEvaluations: 2 * maxIterations,
      gradientTolerance: 1e-6,
      relativeTolerance: 1e-6,
      initialStep: 0.05,
    })),
  );
  const raws = moving.map((i, k) => {
    const raw = Float64Array.from(starts[i].raw);
    free[i].forEach((d, f) => (raw[d] = results[k].x[f]));
    return raw;
  });
  const moved = scoreAll(raws, search);
  const out = starts.slice();
  moving.forEach((i, k) => {
    if (moved[k].value > out[i].value) out[i] = moved[k];
  });
  return out;
}

/** Steepest ascent over discrete neighbours (every other category, the adjacent grid values), scored as a batch. */
function discreteAscent(start: Scored, search: AcquisitionSearch, rounds: number): Scored {
  const { encoding } = search;
  let current = start;
  for (let round = 0; round < rounds; round++) {
    const neighbours: Float64Array[] = [];
    for (let d = 0; d < encoding.dims; d++)
      for (const value of encoding.discreteMoves(current.snapped, d)) {
        const raw = Float64Array.from(current.raw);
        raw[d] = value;
        neighbours.push(raw);
      }
    if (neighbours.length === 0) break;
    const best = scoreAll(neighbours, search).reduce((a, b) => (b.value > a.value ? b : a));
    if (!(best.value > current.value)) break;
    current = best;
  }
  return current;
}
