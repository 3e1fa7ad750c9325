// Random search: each trial's parameters depend only on (seed, trial number), so any server process,
// restarted or not, proposes the same configuration for the same trial.
import { type ParameterSpec, type Params, type ParamValue } from "./parameters";
import { createRng, mixSeed } from "./rng";
import { valueFromUnit } from "./space/spec-values";

export function sampleValue(spec: ParameterSpec, rand: () => number): ParamValue {
  // Constants draw nothing, so adding or removing one never shifts the other parameters' values.
  return spec.kind === "constant" ? spec.value : valueFromUnit(spec, rand());
}

export function sampleRandom(space: Record<string, ParameterSpec>, seed: number, trialNumber: number): Params {
  const rand = createRng(mixSeed(seed, trialNumber));
  const params: Params = {};
  // Sorted names: the draw order, and therefore the result, must not depend on key order in the document.
  for (const name of Object.keys(space).sort()) params[name] = sampleValue(space[name], rand);
  return params;
}
