// When and on what the GP's hyperparameters are fitted. A fit costs O(m³) per L-BFGS step, so fits happen at
// checkpoints that grow sparser with n, on a bounded basis (best quarter + most recent), from a fixed start.
// Past `eachUntil`, a checkpoint's fit is also spread over the following proposals, a few objective evaluations
// each (the previous checkpoint's θ serves until it finishes), so no single proposal pays for a whole fit.
// θ stays a function of the study's trials alone: how far a fit has run by trial n depends only on n
// and the checkpoint, and a cold process replays exactly that many evaluations. Fits are memoised by their exact
// basis across calls and sampler instances, since the scheduler builds a fresh sampler for every proposal.
import type { SpaceEncoding } from "./encoding";
import { fitHyperparameterSteps, pairwiseSqDiffs } from "./fit";
import { transformObjective } from "./output-transform";
import { boundedTrainingSet, type Observation } from "./training-set";

export interface RefitSchedule {
  /** Refit for every observation up to this many... */
  eachUntil: number;
  /** ...then every max(this, ⌊growth·c⌋) observations. */
  every: number;
  growth: number;
  /** Observations the fit sees at most. */
  maxPoints: number;
  /** L-BFGS iterations per start. */
  maxIterations: number;
}

/** A fit usually converges in about this many evaluations; spread fits aim to finish within half their gap. */
const TYPICAL_FIT_EVALUATIONS = 30;
const MAX_CACHED_FITS = 64;

interface FitJob {
  signature: Float64Array;
  /** Null until the job first runs (building it costs O(m²·D)), and again once it is done. */
  steps: Generator<void, Float64Array, void> | null;
  start: () => Generator<void, Float64Array, void>;
  evaluations: number;
  theta: Float64Array | null;
  /** The previous checkpoint's θ, which serves while this job runs (kept here to skip looking it up again). */
  fallback: Float64Array | null;
}

const jobs = new Map<string, FitJob>();

export function clearFitCache(): void {
  jobs.clear();
}

/** The last refit point at or before n: every n up to `eachUntil`, then c → c + max(every, ⌊growth·c⌋), so fits
 *  get rarer as they get dearer and as hyperparameters settle. */
export function refitCheckpoint(n: number, eachUntil: number, every: number, growth = 0.1): number {
  if (n <= eachUntil) return n;
  let checkpoint = eachUntil;
  for (let next = checkpoint; next <= n; next += Math.max(every, Math.floor(next * growth))) checkpoint = next;
  return checkpoint;
}

/** θ for the next proposal with n observations (in trial-number order). */
export function hyperparametersFor(observations: readonly Observation[], encoding: SpaceEncoding, schedule: RefitSchedule): Float64Array {
  const n = observations.length;
  const checkpoint = refitCheckpoint(n, schedule.eachUntil, schedule.every, schedule.growth);
  const job = jobFor(observations, checkpoint, encoding, schedule);
  if (checkpoint <= schedule.eachUntil) return finish(job);
  const gap = Math.max(schedule.every, Math.floor(checkpoint * schedule.growth));
  const perProposal = Math.ceil(TYPICAL_FIT_EVALUATIONS / Math.max(1, Math.floor(gap / 2)));
  advance(job, (n - checkpoint + 1) * perProposal);
  if (job.theta !== null) return job.theta;
  const previous = refitCheckpoint(checkpoint - 1, schedule.eachUntil, schedule.every, schedule.growth);
  return (job.fallback ??= finish(jobFor(observations, previous, encoding, schedule)));
}

/** Runs the job until it has made `evaluations` objective evaluations in all, or is done. */
function advance(job: FitJob, evaluations: number): void {
  while (job.theta === null && job.evaluations < evaluations) {
    job.steps ??= job.start();
    const step = job.steps.next();
    if (step.done) {
      job.theta = step.value;
      job.steps = null;
    } else job.evaluations++;
  }
}

function finish(job: FitJob): Float64Array {
  advance(job, Infinity);
  return job.theta!;
}

/** The (memoised) fit on the first `checkpoint` observations. */
function jobFor(observations: readonly Observation[], checkpoint: number, encoding: SpaceEncoding, schedule: RefitSchedule): FitJob {
  const basis = boundedTrainingSet(observations.slice(0, checkpoint), schedule.maxPoints);
  const points = basis.map((o) => encoding.encode(o.trial.params));
  const losses = basis.map((o) => o.loss);
  const dims = encoding.dims;
  // What the fit depends on, exactly: compared on every lookup, so a hash collision can never return a wrong θ.
  const signature = new Float64Array(1 + dims + basis.length * (dims + 1));
  signature[0] = schedule.maxIterations;
  encoding.categorical.forEach((c, d) => (signature[1 + d] = Number(c)));
  points.forEach((p, i) => signature.set(p, 1 + dims + i * dims));
  signature.set(losses, 1 + dims + basis.length * dims);
  const key = `${encoding.names.join(",")}|${hashFloats(signature)}`;
  const hit = jobs.get(key);
  if (hit && sameFloats(hit.signature, signature)) return hit;
  const start = () =>
    fitHyperparameterSteps(pairwiseSqDiffs(points, encoding.categorical), transformObjective(losses), dims, schedule.maxIterations);
  const job: FitJob = { signature, steps: null, start, evaluations: 0, theta: null, fallback: null };
  jobs.delete(key);
  if (jobs.size >= MAX_CACHED_FITS) jobs.delete(jobs.keys().next().value!);
  jobs.set(key, job);
  return job;
}

function hashFloats(values: Float64Array): number {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193) >>> 0;
  return h;
}

function sameFloats(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  return true;
}
