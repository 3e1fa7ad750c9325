// Random search: each trial's parameters depend only on (seed, trial number), so any server process,
// restarted or not, proposes the same configuration for the same trial.
import { type ParameterSpec, type Params, type ParamValue } from "./parameters";
import { createRng, mixSeed } from "./rng";

export function sampleValue(spec: ParameterSpec, rand: () => number): ParamValue {
  switch (spec.kind) {
    case "constant":
      return spec.value;
    case "categorical":
      return spec.values[Math.floor(rand() * spec.values.length)];
    case "int":
      return spec.min + Math.floor(rand() * (spec.max - spec.min + 1));
    case "float": {
      const u = rand();
      let x = spec.log
        ? Math.exp(Math.log(spec.min) + u * (Math.log(spec.max) - Math.log(spec.min)))
        : spec.min + u * (spec.max - spec.min);
      if (spec.q !== undefined) x = Math.min(spec.max, Math.max(spec.min, Math.round(x / spec.q) * spec.q));
      return x;
    }
  }
}

export function sampleRandom(space: Record<string, ParameterSpec>, seed: number, trialNumber: number): Params {
  const rand = createRng(mixSeed(seed, trialNumber));
  const params: Params = {};
  // Sorted names: the draw order, and therefore the result, must not depend on key order in the document.
  for (const name of Object.keys(space).sort()) params[name] = sampleValue(space[name], rand);
  return params;
}
