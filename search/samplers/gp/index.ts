// Gaussian-process Bayesian optimisation: a scrambled-Sobol initial design, then each trial maximises log expected
// improvement under a Matérn-5/2 ARD GP fitted by marginal likelihood on the normalised mixed space. Running trials
// are fantasised at max(GP mean, incumbent) so parallel workers do not pile onto one point. Cost stays bounded for
// large n: at most `maxFitPoints` training points (`maxHyperparameterPoints` for the fit), hyperparameters refitted
// at sparser and sparser checkpoints and spread over several proposals (hyperparameter-schedule.ts), covariance
// factors extended row by row between refits (factor-cache.ts), and an acquisition search whose effort shrinks as
// predictions get dearer (acquisitionBudget). Every choice is a function of the study's trials and seed: caches
// only ever save work, never change a result, so any process proposes the same thing.
import type { ParameterSpec, ParamValue, Params } from "../../parameters";
import { mixSeed } from "../../rng";
import type { FrozenTrial, Sampler, SearchSpace, StudyView } from "../../types";
import { hashName, trialRng } from "../trial-stream";
import { randomValue } from "../shared-math-domain";
import { acquisitionBudget, logExpectedImprovement, maximizeAcquisition, type AcquisitionModel } from "./acquisition";
import { SpaceEncoding } from "./encoding";
import { clearFactorCache } from "./factor-cache";
import { toHyperparameters } from "./fit";
import { clearFitCache, hyperparametersFor, type RefitSchedule } from "./hyperparameter-schedule";
import { transformObjective } from "./output-transform";
import { GpPosterior } from "./posterior";
import { shiftedSobolPoint, shiftedSobolPoints } from "./sobol";
import { completedObservations, posteriorTrainingSet } from "./training-set";

export { refitCheckpoint } from "./hyperparameter-schedule";

export interface GpOptions {
  /** Defaults to the study's seed. */
  seed?: number;
  /** Initial design size; default max(5, D + 1) for D searched parameters. */
  nStartupTrials?: number;
  /** Training points kept for the GP posterior (see posteriorTrainingSet). Default 200. */
  maxFitPoints?: number;
  /** Points the hyperparameter fit sees (best quarter + most recent; fewer than the posterior needs). Default 48. */
  maxHyperparameterPoints?: number;
  /** Hyperparameters are refitted for every trial up to this many observations... Default 40. */
  refitEachUntil?: number;
  /** ...then every max(this, ⌊n/5⌋) observations. Default 5. */
  refitEvery?: number;
  /** Fantasise running trials. Default true. */
  constantLiar?: boolean;
}

const DESIGN_STREAM = 0x9b0;
const ACQUISITION_STREAM = 0x9b1;
const INCUMBENTS = 5;

/** Forgets memoised fits and factors (tests use it to check that caching never changes a proposal). */
export function clearGpCaches(): void {
  clearFitCache();
  clearFactorCache();
}

export function createGpSampler(options: GpOptions = {}): Sampler {
  const maxFitPoints = options.maxFitPoints ?? 200;
  const schedule: RefitSchedule = {
    eachUntil: options.refitEachUntil ?? 40,
    every: options.refitEvery ?? 5,
    growth: 0.2,
    maxPoints: options.maxHyperparameterPoints ?? 48,
    maxIterations: 60,
  };
  const constantLiar = options.constantLiar ?? true;

  return {
    name: "gp",

    sampleRelative(study: StudyView, trial: FrozenTrial, space: SearchSpace): Params {
      const encoding = new SpaceEncoding(space);
      if (encoding.dims === 0) return {};
      const seed = options.seed ?? study.seed;
      const observations = completedObservations(study);
      const nStartup = options.nStartupTrials ?? Math.max(5, encoding.dims + 1);
      if (observations.length < nStartup) {
        return encoding.decode(encoding.fromUnit(shiftedSobolPoint(trial.number, encoding.dims, mixSeed(seed, DESIGN_STREAM, trial.sampleAttempt ?? 0))));
      }

      // Beyond maxFitPoints the set is re-chosen every maxFitPoints/4 observations and only grows in between.
      const training = posteriorTrainingSet(observations, maxFitPoints, Math.max(1, Math.floor(maxFitPoints / 4)));
      const hyper = toHyperparameters(hyperparametersFor(observations, encoding, schedule));
      const points = training.map((o) => encoding.encode(o.trial.params));
      // The prior mean is the worst (transformed) observation, not the average: far from the data the model then
      // expects nothing better than what has been seen, so EI follows the fitted trend instead of sampling every
      // corner merely because it is unexplored (with a zero mean, those look average with full variance).
      const standardized = transformObjective(training.map((o) => o.loss));
      const worst = Math.max(...standardized);
      const y = standardized.map((v) => v - worst);
      let posterior = new GpPosterior(points, y, hyper, encoding.categorical);
      // The incumbent is the best posterior mean at an observed point: robust when the fit explains part of the data as noise.
      const best = Math.min(...posterior.trainingMeans(y));

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
      const incumbents = order.slice(0, INCUMBENTS).map((i) => fillInactive(points[i], encoding, rand));
      const budget = acquisitionBudget(points.length, trial.sampleAttempt ?? 0);
      const sweepSeed = mixSeed(seed, trial.number, trial.sampleAttempt ?? 0, DESIGN_STREAM + 1);
      const sweep = shiftedSobolPoints(0, budget.sweepSize, encoding.dims, sweepSeed).map((u) => encoding.fromUnit(u));
      const raw = maximizeAcquisition({ encoding, model: acquisitionModel(posterior, best), incumbents, sweep, rand }, budget);
      return encoding.decode(raw);
    },

    sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, spec: ParameterSpec): ParamValue {
      // Parameters outside the relative space (define-by-run) are drawn uniformly.
      return randomValue(spec, trialRng(options.seed ?? study.seed, trial, hashName(name)));
    },
  };
}

/** log EI of the posterior against the incumbent `best`, in the form the acquisition optimiser consumes. */
function acquisitionModel(posterior: GpPosterior, best: number): AcquisitionModel {
  let means = new Float64Array(0);
  let variances = new Float64Array(0);
  return {
    scoreBatch(points, count, out) {
      if (means.length < count) [means, variances] = [new Float64Array(count), new Float64Array(count)];
      posterior.predictBatch(points, count, means, variances);
      for (let i = 0; i < count; i++) out[i] = logExpectedImprovement(means[i], variances[i], best);
    },
    scoreWithGradients: (xs, free) => posterior.logEiWithGradients(xs, free, best),
  };
}

/** Raw starting point from an observation: inactive coordinates get random values so every move is defined. */
function fillInactive(point: Float64Array, encoding: SpaceEncoding, rand: () => number): Float64Array {
  return point.map((v, d) => {
    if (!Number.isNaN(v)) return v;
    const domain = encoding.domains[d];
    return domain.kind === "categorical" ? Math.floor(rand() * domain.values.length) : rand();
  });
}
