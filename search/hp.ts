// Define-by-run, KerasTuner style: the objective declares each hyperparameter where it uses it,
//   const units = hp.int("units", 32, 512, { step: 32 });
//   const lr = hp.float("learning_rate", 1e-4, 1e-2, { log: true });
// Each call turns its arguments into a ParameterSpec and asks the study for the trial's value (sampled once, then
// the same value on every later call with that name).
import { SearchError } from "./errors";
import type { ParameterSpec, ParamValue } from "./parameters";

export interface RangeOptions {
  /** Values are min, min + step, … (ints); multiples of step (floats, as W&B's q). */
  step?: number;
  /** Sample uniformly in log space; needs min > 0. */
  log?: boolean;
}

export interface Hp {
  int(name: string, min: number, max: number, options?: RangeOptions): number;
  float(name: string, min: number, max: number, options?: RangeOptions): number;
  choice<T extends ParamValue>(name: string, values: readonly T[]): T;
  boolean(name: string): boolean;
  fixed<T extends ParamValue>(name: string, value: T): T;
}

/** Resolves one parameter of the current trial: returns its value, sampling it on first use. */
export type Suggest = (name: string, spec: ParameterSpec) => ParamValue;

export function createHp(suggest: Suggest): Hp {
  return {
    int: (name, min, max, options = {}) => suggest(name, rangeSpec("int", name, min, max, options)) as number,
    float: (name, min, max, options = {}) => suggest(name, rangeSpec("float", name, min, max, options)) as number,
    choice: <T extends ParamValue>(name: string, values: readonly T[]) => {
      if (values.length === 0) invalid(name, "choice needs at least one value");
      return suggest(name, { kind: "categorical", values: [...values] }) as T;
    },
    boolean: (name) => suggest(name, { kind: "categorical", values: [false, true] }) as boolean,
    fixed: <T extends ParamValue>(name: string, value: T) => suggest(name, { kind: "constant", value }) as T,
  };
}

/** The spec of an `hp.int` / `hp.float` call, with the same rules as the document syntax. */
export function rangeSpec(kind: "int" | "float", name: string, min: number, max: number, options: RangeOptions): ParameterSpec {
  const { step, log = false } = options;
  if (!Number.isFinite(min) || !Number.isFinite(max)) invalid(name, "min and max must be finite numbers");
  if (min > max) invalid(name, `min (${min}) must not exceed max (${max})`);
  if (log && min <= 0) invalid(name, "a log range needs min > 0");
  if (step !== undefined && !(step > 0)) invalid(name, "step must be positive");
  if (kind === "int" && (!Number.isInteger(min) || !Number.isInteger(max) || (step !== undefined && !Number.isInteger(step)))) {
    invalid(name, "hp.int needs integer min, max and step");
  }
  if (log && step !== undefined) invalid(name, "give either step or log, not both");
  return { kind, min, max, log, ...(step !== undefined ? { q: step } : {}) };
}

function invalid(name: string, message: string): never {
  throw new SearchError("invalid_space", `${name}: ${message}`, [{ path: [name], message }]);
}
