// Covariance factors memoised across calls and sampler instances (the scheduler builds a fresh sampler for every
// proposal). Between hyperparameter refits the training set of the next trial is usually the previous one plus
// the new observation, so a cached factor whose points are a prefix of the new ones is extended row by row:
// O(n²) per new point instead of O(n³). Extension reproduces a from-scratch factorisation exactly (see
// packed-cholesky.ts), so what a process has cached never changes what it proposes.
import { factorRobustly, PackedCholesky } from "./packed-cholesky";
import { matern52, scaledSqDist } from "./kernel";
import type { Hyperparameters } from "./fit";

interface Entry {
  kernelKey: string;
  points: readonly Float64Array[];
  /** Grows in place; callers get read-only prefixes of it. */
  factor: PackedCholesky;
}

const MAX_ENTRIES = 8;
const entries: Entry[] = [];

export function clearFactorCache(): void {
  entries.length = 0;
}

/** Cholesky factor of K(points) + noise·I (+ jitter·I only if needed), as a read-only view. */
export function covarianceFactor(points: readonly Float64Array[], hyper: Hyperparameters, categorical: readonly boolean[]): PackedCholesky {
  const kernelKey = `${hyper.signal},${hyper.noise},${hyper.invLs2.join(",")},${categorical.join(",")}`;
  const n = points.length;
  const row = new Float64Array(n);
  const rowOf = (i: number) => {
    for (let j = 0; j < i; j++) row[j] = hyper.signal * matern52(scaledSqDist(points[i], points[j], hyper.invLs2, categorical));
    row[i] = hyper.signal + hyper.noise;
    return row;
  };
  const extend = (factor: PackedCholesky) => {
    for (let i = factor.size; i < n; i++) if (!factor.append(rowOf(i))) return false;
    return true;
  };
  let best: { entry: Entry; common: number } | null = null;
  for (const entry of entries) {
    if (entry.kernelKey !== kernelKey) continue;
    const common = commonPrefix(entry.points, points);
    if (best === null || common > best.common) best = { entry, common };
  }
  if (best !== null && best.common > 0) {
    const { entry, common } = best;
    entries.splice(entries.indexOf(entry), 1);
    entries.push(entry); // the least recently used entry is first
    // Rows never change once written, so the cached factor grows in place and earlier views stay valid.
    if (common === entry.points.length) {
      if (extend(entry.factor)) {
        entry.points = points.slice();
        return entry.factor.prefix(n);
      }
      entries.pop();
    } else if (common === n) {
      if (entry.factor.jitter === 0) return entry.factor.prefix(n);
    } else if (entry.factor.jitter === 0) {
      // A jittered factor is reproducible only as a whole (its jitter was chosen for all its rows): never cut.
      const factor = entry.factor.truncatedCopy(common);
      if (extend(factor)) return remember(kernelKey, points, factor);
    }
  }
  return remember(kernelKey, points, factorRobustly(n, rowOf, hyper.signal));
}

function remember(kernelKey: string, points: readonly Float64Array[], factor: PackedCholesky): PackedCholesky {
  if (entries.length >= MAX_ENTRIES) entries.shift();
  entries.push({ kernelKey, points: points.slice(), factor });
  return factor.prefix(points.length);
}

function commonPrefix(a: readonly Float64Array[], b: readonly Float64Array[]): number {
  const limit = Math.min(a.length, b.length);
  for (let i = 0; i < limit; i++) {
    if (a[i] === b[i]) continue;
    if (a[i].length !== b[i].length) return i;
    for (let d = 0; d < a[i].length; d++) {
      const x = a[i][d];
      const y = b[i][d];
      if (x !== y && !(x !== x && y !== y)) return i;
    }
  }
  return limit;
}
