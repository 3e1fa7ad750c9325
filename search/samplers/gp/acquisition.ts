// Log expected improvement and its maximisation over a mixed space: a broad quasi-random sweep plus perturbations
// of the best observed points, then a pattern search (numeric coordinates with shrinking steps, every category
// of categorical coordinates) from the most promising candidates.
import { gaussian, logH } from "../shared-math";
import type { SpaceEncoding } from "./encoding";

/** log EI for minimisation of a GP with the given posterior, against incumbent value `best`. */
export function logExpectedImprovement(mean: number, variance: number, best: number): number {
  const sigma = Math.sqrt(variance);
  return Math.log(sigma) + logH((best - mean) / sigma);
}

export interface AcquisitionSearch {
  encoding: SpaceEncoding;
  /** Acquisition value of a snapped (legal, encoded) point; higher is better. */
  score(point: Float64Array): number;
  /** Raw points of the best observations, best first. */
  incumbents: Float64Array[];
  /** Raw points of a space-filling sweep. */
  sweep: Float64Array[];
  rand: () => number;
}

export interface AcquisitionBudget {
  perturbationsPerIncumbent: number;
  localStarts: number;
  localEvaluations: number;
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
  const evaluate = (raw: Float64Array): Scored => {
    const snapped = encoding.snap(raw);
    return { raw, snapped, value: search.score(snapped) };
  };
  const pool: Scored[] = search.sweep.map(evaluate);
  for (const incumbent of search.incumbents)
    for (let i = 0; i < budget.perturbationsPerIncumbent; i++) pool.push(evaluate(perturb(incumbent, encoding, rand, i % 2 === 0 ? 0.02 : 0.1)));
  pool.sort((a, b) => b.value - a.value);
  const refined = distinctTop(pool, budget.localStarts + budget.rank).map((start) => patternSearch(start, evaluate, encoding, budget.localEvaluations));
  const ranked = distinctTop([...refined, ...pool].sort((a, b) => b.value - a.value), budget.rank + 1);
  return ranked[Math.min(budget.rank, ranked.length - 1)].raw;
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

function patternSearch(start: Scored, evaluate: (raw: Float64Array) => Scored, encoding: SpaceEncoding, maxEvaluations: number): Scored {
  let current = start;
  let step = 0.05;
  let evaluations = 0;
  const sameAs = (a: Float64Array, b: Float64Array) => a.every((v, i) => v === b[i] || (Number.isNaN(v) && Number.isNaN(b[i])));
  while (step > 1e-5 && evaluations < maxEvaluations) {
    let improved = false;
    for (let d = 0; d < encoding.dims && evaluations < maxEvaluations; d++) {
      const domain = encoding.domains[d];
      const moves =
        domain.kind === "categorical"
          ? domain.values.map((_, k) => k).filter((k) => k !== current.raw[d])
          : [current.raw[d] + step, current.raw[d] - step].map((v) => Math.min(1, Math.max(0, v)));
      for (const value of moves) {
        if (value === current.raw[d]) continue;
        const raw = Float64Array.from(current.raw);
        raw[d] = value;
        const snapped = encoding.snap(raw);
        if (sameAs(snapped, current.snapped)) continue;
        const candidate = evaluate(raw);
        evaluations++;
        if (candidate.value > current.value) {
          current = candidate;
          improved = true;
          break;
        }
      }
    }
    if (!improved) step /= 2;
  }
  return current;
}
