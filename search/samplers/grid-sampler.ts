// Grid search: every configuration of the space once. Categorical, integer and stepped parameters contribute all
// their values; continuous ranges contribute `gridPoints` evenly spaced values (log-spaced on log ranges). The next
// point is the first configuration, in grid order, that no trial (running or finished) already has, so the sampler
// keeps no progress in memory: a restarted study, or several processes, resume exactly.
import { SearchError } from "../errors";
import type { ParameterSpec, ParamValue, Params } from "../parameters";
import { configurationKey } from "../space/conditions";
import { enumerateConfigurations } from "../space/enumerate";
import { isDiscrete, specCardinality, specValues } from "../space/spec-values";
import { createRng, mixSeed } from "../rng";
import type { FrozenTrial, Sampler, SearchSpace, StudyView } from "../types";
import { hashName, trialRng } from "./trial-stream";

export interface GridSamplerOptions {
  /** Values per continuous range: one number for all, or per parameter name. */
  gridPoints?: number | Record<string, number>;
  /** Visit the grid in a seeded random order instead of lexicographic (first parameter slowest). */
  shuffle?: boolean;
  /** Seed of the shuffle; defaults to the study's. */
  seed?: number;
  /** Refuse grids larger than this (default 100,000 configurations). */
  maxConfigurations?: number;
}

const SHUFFLE_SALT = 0x47524944; // "GRID"

interface Grid {
  configurations: Params[];
  keys: string[];
}

export class GridSampler implements Sampler {
  readonly name = "grid";
  private readonly grids = new WeakMap<SearchSpace, Map<number, Grid>>();

  constructor(private readonly options: GridSamplerOptions = {}) {}

  private get limit(): number {
    return this.options.maxConfigurations ?? 100_000;
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, space: SearchSpace): Params {
    const grid = this.gridFor(space, this.options.seed ?? study.seed);
    const used = new Set(study.trials().filter((t) => t.number !== trial.number).map((t) => configurationKey(t.params)));
    // A re-ask after a rejected proposal skips that many unused points.
    let skip = trial.sampleAttempt ?? 0;
    let firstUnused: Params | null = null;
    for (let i = 0; i < grid.keys.length; i++) {
      if (used.has(grid.keys[i])) continue;
      firstUnused ??= grid.configurations[i];
      if (skip-- === 0) return { ...grid.configurations[i] };
    }
    if (firstUnused) return { ...firstUnused };
    throw new SearchError("space_exhausted", `grid search has used all ${grid.keys.length} configurations of the space`);
  }

  /** For parameters defined by run (not in a declared space): a seeded pick among the parameter's grid values. */
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, spec: ParameterSpec): ParamValue {
    const values = this.valuesOf(name, spec);
    return values[Math.floor(trialRng(study.seed, trial, hashName(name))() * values.length)];
  }

  /** The grid values of one parameter; throws when a continuous range has no resolution. */
  valuesOf(name: string, spec: ParameterSpec): ParamValue[] {
    if (isDiscrete(spec) && specCardinality(spec) > this.limit) {
      throw new SearchError("grid_too_large", `\`${name}\` alone has more than ${this.limit} values; use random or quasi-random search`);
    }
    const points = typeof this.options.gridPoints === "number" ? this.options.gridPoints : this.options.gridPoints?.[name];
    const values = specValues(spec, points);
    if (values) return values;
    const message = `grid search needs a resolution for \`${name}\`, a continuous range: give it a step (q) or set gridPoints`;
    throw new SearchError("grid_resolution", message, [{ path: [name], message }]);
  }

  private gridFor(space: SearchSpace, seed: number): Grid {
    let bySeed = this.grids.get(space);
    if (!bySeed) this.grids.set(space, (bySeed = new Map()));
    let grid = bySeed.get(seed);
    if (!grid) bySeed.set(seed, (grid = this.buildGrid(space, seed)));
    return grid;
  }

  private buildGrid(space: SearchSpace, seed: number): Grid {
    const limit = this.limit;
    const values = new Map<string, ParamValue[]>();
    const valuesOf = (name: string, spec: ParameterSpec) => values.get(name) ?? values.set(name, this.valuesOf(name, spec)).get(name)!;
    const configurations = enumerateConfigurations(space, (name, { spec }) => valuesOf(name, spec), limit);
    if (!configurations) {
      throw new SearchError("grid_too_large", `the grid has more than ${limit} configurations; use random or quasi-random search`);
    }
    if (this.options.shuffle) shuffleInPlace(configurations, createRng(mixSeed(seed, SHUFFLE_SALT)));
    return { configurations, keys: configurations.map(configurationKey) };
  }
}

function shuffleInPlace<T>(items: T[], rand: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

export function createGridSampler(options: GridSamplerOptions = {}): GridSampler {
  return new GridSampler(options);
}
