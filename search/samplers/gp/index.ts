// Gaussian-process Bayesian optimisation: a scrambled-Sobol initial design, then each trial maximises log expected
// improvement under a Matérn-5/2 ARD GP fitted by marginal likelihood on the normalised mixed space. Running trials
// are fantasised at max(GP mean, incumbent) so parallel workers do not pile onto one point. Cost stays bounded for
// large n: at most `maxFitPoints` training points (`maxHyperparameterPoints` for the fit), hyperparameters refitted
// at checkpoints that grow sparser with n (see refitCheckpoint). Every choice is a function of the study's trials
// and seed (fits are memoised, never warm-started from process history), so any process proposes the same thing.
import type { ParameterSpec, ParamValue, Params } from "../../parameters";
import { createRng, mixSeed } from "../../rng";
import type { FrozenTrial, Sampler, SearchSpace, StudyView } from "../../types";
import { hashName, trialRng } from "../trial-stream";
import { randomValue } from "../shared-math-domain";
import { logExpectedImprovement, maximizeAcquisition } from "./acquisition";
import { SpaceEncoding } from "./encoding";
import { defaultTheta, fitHyperparameters, pairwiseSqDiffs, toHyperparameters } from "./fit";
import { transformObjective } from "./output-transform";
import { GpPosterior } from "./posterior";
import { shiftedSobolPoint } from "./sobol";
import { boundedTrainingSet, completedObservations, type Observation } from "./training-set";

export interface GpOptions {
  /** Defaults to the study's seed. */
  seed?: number;
  /** Initial design size; default max(5, 2D) for D searched parameters. */
  nStartupTrials?: number;
  /** Training points kept for the GP posterior (best quarter + most recent). Default 200. */
  maxFitPoints?: number;
  /** Points the hyperparameter fit sees (same rule; hyperparameters need fewer points than the posterior). Default 100. */
  maxHyperparameterPoints?: number;
  /** Hyperparameters are refitted for every trial up to this many observations... Default 40. */
  refitEachUntil?: number;
  /** ...then every max(this, n/10) observations. Default 5. */
  refitEvery?: number;
  /** Quasi-random points in the acquisition sweep. Default 512. */
  sweepSize?: number;
  /** Fantasise running trials. Default true. */
  constantLiar?: boolean;
}

const DESIGN_STREAM = 0x9b0;
const ACQUISITION_STREAM = 0x9b1;
const FIT_STREAM = 0x9b2;
const MAX_CACHED_FITS = 64;

export function createGpSampler(options: GpOptions = {}): Sampler {
  const maxFitPoints = options.maxFitPoints ?? 200;
  const maxHyperparameterPoints = options.maxHyperparameterPoints ?? 100;
  const refitEachUntil = options.refitEachUntil ?? 40;
  const refitEvery = options.refitEvery ?? 5;
  const sweepSize = options.sweepSize ?? 512;
  const constantLiar = options.constantLiar ?? true;
  const fitCache = new Map<string, Float64Array>();

  /** θ fitted on the observations of the last refit checkpoint (the first c completed trials by number). */
  function hyperparametersFor(observations: Observation[], encoding: SpaceEncoding, seed: number): Float64Array {
    const n = observations.length;
    const checkpoint = refitCheckpoint(n, refitEachUntil, refitEvery);
    const basis = boundedTrainingSet(
      observations.slice().sort((a, b) => a.trial.number - b.trial.number).slice(0, checkpoint),
      maxHyperparameterPoints,
    );
    const key = `${encoding.names.join(",")}|${basis.map((o) => `${o.trial.number}:${o.loss}`).join(",")}`;
    const cached = fitCache.get(key);
    if (cached) return cached;
    const points = basis.map((o) => encoding.encode(o.trial.params));
    const y = transformObjective(basis.map((o) => o.loss));
    const dims = encoding.dims;
    const sq = pairwiseSqDiffs(points, encoding.categorical);
    const rand = createRng(mixSeed(seed, checkpoint, FIT_STREAM));
    const restart = defaultTheta(dims).map((t, i) => (i < dims ? Math.log(0.1 + rand()) : t));
    const theta = fitHyperparameters(sq, y, dims, [defaultTheta(dims), restart], 60);
    if (fitCache.size >= MAX_CACHED_FITS) fitCache.delete(fitCache.keys().next().value!);
    fitCache.set(key, theta);
    return theta;
  }

  return {
    name: "gp",

    sampleRelative(study: StudyView, trial: FrozenTrial, space: SearchSpace): Params {
      const encoding = new SpaceEncoding(space);
      if (encoding.dims === 0) return {};
      const seed = options.seed ?? study.seed;
      const observations = completedObservations(study);
      const nStartup = options.nStartupTrials ?? Math.max(5, 2 * encoding.dims);
      if (observations.length < nStartup) {
        return encoding.decode(encoding.fromUnit(shiftedSobolPoint(trial.number, encoding.dims, mixSeed(seed, DESIGN_STREAM, trial.sampleAttempt ?? 0))));
      }

      const training = boundedTrainingSet(observations, maxFitPoints);
      const hyper = toHyperparameters(hyperparametersFor(observations, encoding, seed));
      const points = training.map((o) => encoding.encode(o.trial.params));
      const y = transformObjective(training.map((o) => o.loss));
      let posterior = new GpPosterior(points, y, hyper, encoding.categorical);
      // The incumbent is the best posterior mean at an observed point: robust when the fit explains part of the data as noise.
      const best = Math.min(...points.map((x) => posterior.predict(x).mean));

      const running = constantLiar
        ? study.trials(["running"]).filter((t) => t.number !== trial.number && Object.keys(t.params).length > 0)
        : [];
      if (running.length > 0) {
        const fantasies = running.map((t) => encoding.encode(t.params));
        const lies = fantasies.map((x) => Math.max(posterior.predict(x).mean, best));
        posterior = new GpPosterior([...points, ...fantasies], Float64Array.from([...y, ...lies]), hyper, encoding.categorical);
      }

      const rand = trialRng(seed, trial, ACQUISITION_STREAM);
      const order = Array.from(y.keys()).sort((a, b) => y[a] - y[b]);
      const incumbents = order.slice(0, 5).map((i) => fillInactive(points[i], encoding, rand));
      const sweepSeed = mixSeed(seed, trial.number, trial.sampleAttempt ?? 0, DESIGN_STREAM + 1);
      const sweep = Array.from({ length: sweepSize }, (_, i) => encoding.fromUnit(shiftedSobolPoint(i, encoding.dims, sweepSeed)));
      const raw = maximizeAcquisition(
        {
          encoding,
          score: (x) => {
            const { mean, variance } = posterior.predict(x);
            return logExpectedImprovement(mean, variance, best);
          },
          incumbents,
          sweep,
          rand,
        },
        { perturbationsPerIncumbent: 60, localStarts: 3, localEvaluations: 150, rank: trial.sampleAttempt ?? 0 },
      );
      return encoding.decode(raw);
    },

    sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, spec: ParameterSpec): ParamValue {
      // Parameters outside the relative space (define-by-run) are drawn uniformly.
      return randomValue(spec, trialRng(options.seed ?? study.seed, trial, hashName(name)));
    },
  };
}

/** The last refit point at or before n: every n up to `eachUntil`, then c → c + max(every, ⌊c/10⌋), so fits get
 *  rarer as they get dearer and as hyperparameters settle. */
export function refitCheckpoint(n: number, eachUntil: number, every: number): number {
  if (n <= eachUntil) return n;
  let checkpoint = eachUntil;
  for (let next = checkpoint; next <= n; next += Math.max(every, Math.floor(next / 10))) checkpoint = next;
  return checkpoint;
}

/** Raw starting point from an observation: inactive coordinates get random values so every move is defined. */
function fillInactive(point: Float64Array, encoding: SpaceEncoding, rand: () => number): Float64Array {
  return point.map((v, d) => {
    if (!Number.isNaN(v)) return v;
    const domain = encoding.domains[d];
    return domain.kind === "categorical" ? Math.floor(rand() * domain.values.length) : rand();
  });
}
