// Which parameters of a conditional space are active for a given (partial) configuration. Conditions refer only
// to earlier parameters, so one pass in space order decides everything.
import type { ParameterSpec, Params, ParamValue } from "../parameters";
import type { Condition, SearchSpace, SpaceParameter } from "../types";

export function conditionHolds(condition: Condition, params: Params): boolean {
  if (!(condition.param in params)) return false; // the parameter it depends on is itself inactive
  const value = params[condition.param];
  if ("in" in condition) return condition.in.some((v) => v === value);
  return typeof value === "number" && value >= condition.atLeast;
}

export function isActive(parameter: SpaceParameter, params: Params): boolean {
  return (parameter.when ?? []).every((condition) => conditionHolds(condition, params));
}

/** Names of the parameters active under `params`, in space order. A condition on a missing parameter fails. */
export function activeParameters(space: SearchSpace, params: Params): string[] {
  return Object.entries(space)
    .filter(([, parameter]) => isActive(parameter, params))
    .map(([name]) => name);
}

/** The active subset of `params` (drops values of parameters whose conditions do not hold). */
export function keepActive(space: SearchSpace, params: Params): Params {
  const kept: Params = {};
  for (const [name, parameter] of Object.entries(space)) {
    if (name in params && isActive(parameter, kept)) kept[name] = params[name];
  }
  return kept;
}

/** Builds the values of a configuration in space order: `valueOf` is asked only for active parameters. */
export function assignActive(space: SearchSpace, valueOf: (name: string, parameter: SpaceParameter) => ParamValue): Params {
  const params: Params = {};
  for (const [name, parameter] of Object.entries(space)) {
    if (isActive(parameter, params)) params[name] = valueOf(name, parameter);
  }
  return params;
}

/** An unconditional space from plain specs (the walking skeleton's form). */
export function spaceFromSpecs(specs: Record<string, ParameterSpec>): SearchSpace {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { spec }]));
}

/** Stable identity of a configuration: same parameters and values, whatever the key order. */
export function configurationKey(params: Params): string {
  return JSON.stringify(Object.keys(params).sort().map((name) => [name, params[name]]));
}
