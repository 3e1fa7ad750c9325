// The pruner registry: one name per pruning rule, as the sweep form and the scheduler refer to them.
import type { FrozenTrial, PruneDecision, Pruner, StudyView } from "../types";
import type { ReasonOptions } from "./common";
import { PrunerOptionError } from "./common";
import { HyperbandPruner, type HyperbandOptions } from "./hyperband";
import { createMedianPruner, type MedianPrunerOptions, PercentilePruner, type PercentilePrunerOptions } from "./percentile";
import { SuccessiveHalvingPruner, type SuccessiveHalvingOptions } from "./successive-halving";
import { ThresholdPruner, type ThresholdPrunerOptions } from "./threshold";

export type { Pruner, PruneDecision } from "../types";
export { PrunerOptionError, type ReasonOptions } from "./common";
export { forecastAt } from "./forecast";
export { PercentilePruner, createMedianPruner, type MedianPrunerOptions, type PercentilePrunerOptions } from "./percentile";
export {
  SuccessiveHalvingPruner,
  promotionCutoff,
  rungStep,
  type RungSchedule,
  type SuccessiveHalvingOptions,
} from "./successive-halving";
export { BRACKET_ATTR, HyperbandPruner, type HyperbandOptions } from "./hyperband";
export { ThresholdPruner, type ThresholdPrunerOptions } from "./threshold";
export { AnyOfPruner, anyOf } from "./composite";

/** Never prunes. */
export class NopPruner implements Pruner {
  readonly name = "none";
  shouldPrune(_study: StudyView, _trial: FrozenTrial): PruneDecision {
    return { prune: false, reason: "kept: pruning is off" };
  }
}

export interface PrunerOptionsByName {
  none: ReasonOptions;
  median: MedianPrunerOptions;
  percentile: PercentilePrunerOptions;
  "successive-halving": SuccessiveHalvingOptions;
  asha: SuccessiveHalvingOptions;
  hyperband: HyperbandOptions;
  threshold: ThresholdPrunerOptions;
}

export type PrunerName = keyof PrunerOptionsByName;

export const PRUNER_NAMES: readonly PrunerName[] = ["none", "median", "percentile", "successive-halving", "asha", "hyperband", "threshold"];

const REASON_KEYS = ["metric", "stepName"];
const PERCENTILE_KEYS = [...REASON_KEYS, "nStartupTrials", "nWarmupSteps", "intervalSteps", "nMinTrials", "smoothingWindow", "forecastHorizon"];
const HALVING_KEYS = [...REASON_KEYS, "minResource", "reductionFactor", "minEarlyStoppingRate", "maxResource", "smoothingWindow", "forecastHorizon"];

/** The options each pruner understands: anything else is a typo worth an error, not a silent default. */
export const PRUNER_OPTION_KEYS: { [K in PrunerName]: readonly string[] } = {
  none: REASON_KEYS,
  median: PERCENTILE_KEYS,
  percentile: ["percentile", ...PERCENTILE_KEYS],
  "successive-halving": HALVING_KEYS,
  asha: HALVING_KEYS,
  hyperband: [...REASON_KEYS, "minResource", "maxResource", "reductionFactor", "smoothingWindow", "forecastHorizon"],
  threshold: [...REASON_KEYS, "lower", "upper", "nWarmupSteps", "intervalSteps"],
};

const FACTORIES: { [K in PrunerName]: (options: PrunerOptionsByName[K]) => Pruner } = {
  none: () => new NopPruner(),
  median: (o) => createMedianPruner(o),
  percentile: (o) => new PercentilePruner(o),
  "successive-halving": (o) => new SuccessiveHalvingPruner(o),
  asha: (o) => new SuccessiveHalvingPruner(o), // ASHA is successive halving run asynchronously, which ours always is
  hyperband: (o) => new HyperbandPruner(o),
  threshold: (o) => new ThresholdPruner(o),
};

export function isPrunerName(name: string): name is PrunerName {
  return Object.hasOwn(FACTORIES, name);
}

/** Builds a pruner by name; options are checked and a bad one throws PrunerOptionError naming the field. */
export function createPruner<K extends PrunerName>(name: K, ...options: {} extends PrunerOptionsByName[K] ? [PrunerOptionsByName[K]?] : [PrunerOptionsByName[K]]): Pruner;
export function createPruner(name: string, options?: object): Pruner;
export function createPruner(name: string, options: object = {}): Pruner {
  if (!isPrunerName(name)) throw new PrunerOptionError("pruner", `unknown pruner "${name}"; expected one of ${PRUNER_NAMES.join(", ")}`);
  const known = PRUNER_OPTION_KEYS[name];
  for (const [key, value] of Object.entries(options)) {
    if (!known.includes(key)) throw new PrunerOptionError(key, `not an option of the ${name} pruner; expected one of ${known.join(", ")}`);
    const expectsText = key === "metric" || key === "stepName";
    if (value !== undefined && typeof value !== (expectsText ? "string" : "number")) {
      throw new PrunerOptionError(key, `must be a ${expectsText ? "string" : "number"}, got ${JSON.stringify(value)}`);
    }
  }
  return (FACTORIES[name] as (o: object) => Pruner)(options);
}
