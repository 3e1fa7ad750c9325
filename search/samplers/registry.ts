// Samplers by name, as a sweep document or the sweep form names them.
import { SearchError } from "../errors";
import type { Sampler } from "../types";
import { createGpSampler, type GpOptions } from "./gp/index";
import { createGridSampler, type GridSamplerOptions } from "./grid-sampler";
import { createQuasiRandomSampler, type QuasiRandomSamplerOptions } from "./quasi-random-sampler";
import { createRandomSampler, type RandomSamplerOptions } from "./random-sampler";
import { createTpeSampler, type TpeOptions } from "./tpe/index";

export interface SamplerOptionsByName {
  random: RandomSamplerOptions;
  grid: GridSamplerOptions;
  "quasi-random": QuasiRandomSamplerOptions;
  tpe: TpeOptions;
  gp: GpOptions;
}

export type SamplerName = keyof SamplerOptionsByName;

const FACTORIES: { [N in SamplerName]: (options: SamplerOptionsByName[N]) => Sampler } = {
  random: createRandomSampler,
  grid: createGridSampler,
  "quasi-random": createQuasiRandomSampler,
  tpe: createTpeSampler,
  gp: createGpSampler,
};

export const SAMPLER_NAMES = Object.keys(FACTORIES) as SamplerName[];

export function isSamplerName(name: string): name is SamplerName {
  return Object.hasOwn(FACTORIES, name);
}

export function createSampler<N extends SamplerName>(name: N, options?: SamplerOptionsByName[N]): Sampler;
export function createSampler(name: string, options?: Record<string, unknown>): Sampler;
export function createSampler(name: string, options: Record<string, unknown> = {}): Sampler {
  if (!isSamplerName(name)) {
    throw new SearchError("unknown_sampler", `unknown sampler \`${name}\` (known: ${SAMPLER_NAMES.join(", ")})`);
  }
  return (FACTORIES[name] as (options: Record<string, unknown>) => Sampler)(options);
}
