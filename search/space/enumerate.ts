// Every configuration of a conditional space whose parameters all have finite value lists, in lexicographic
// order of the space (first parameter slowest). Inactive parameters are absent, so no two configurations are equal.
import type { ParamValue, Params } from "../parameters";
import type { SearchSpace, SpaceParameter } from "../types";
import { isActive } from "./conditions";

export type ValuesOf = (name: string, parameter: SpaceParameter) => readonly ParamValue[];

/** Depth-first walk over the configurations; stops as soon as `onConfiguration` returns false. */
function walkConfigurations(space: SearchSpace, valuesOf: ValuesOf, onConfiguration: (params: Params) => boolean): void {
  const entries = Object.entries(space);
  const params: Params = {};
  const visit = (index: number): boolean => {
    if (index === entries.length) return onConfiguration(params);
    const [name, parameter] = entries[index];
    if (!isActive(parameter, params)) return visit(index + 1);
    for (const value of valuesOf(name, parameter)) {
      params[name] = value;
      const goOn = visit(index + 1);
      delete params[name];
      if (!goOn) return false;
    }
    return true;
  };
  visit(0);
}

/** All configurations, or null when there are more than `limit`. */
export function enumerateConfigurations(space: SearchSpace, valuesOf: ValuesOf, limit: number): Params[] | null {
  const out: Params[] = [];
  let overflow = false;
  walkConfigurations(space, valuesOf, (params) => {
    overflow = out.length >= limit;
    if (!overflow) out.push({ ...params });
    return !overflow;
  });
  return overflow ? null : out;
}

/** Number of configurations, or Infinity when there are more than `limit`. */
export function countConfigurations(space: SearchSpace, valuesOf: ValuesOf, limit: number): number {
  let count = 0;
  walkConfigurations(space, valuesOf, () => ++count <= limit);
  return count > limit ? Infinity : count;
}
