// Proposes a configuration for a new trial: the sampler's joint proposal for the active parameters, the rest one
// by one, and never a configuration some other trial (running, waiting or finished) already has. A duplicate is
// re-asked with a perturbed stream (`sampleAttempt`) a bounded number of times; then a finite space falls back to
// a seeded pick among its unused configurations (or reports it exhausted), a large one to perturbed random draws.
import { SearchError } from "../errors";
import type { ParamValue, Params } from "../parameters";
import { RandomSampler } from "../samplers/random-sampler";
import { trialRng } from "../samplers/trial-stream";
import { assignActive, configurationKey } from "../space/conditions";
import { countConfigurations, enumerateConfigurations } from "../space/enumerate";
import { specCardinality, specContains, specValues } from "../space/spec-values";
import type { FrozenTrial, Sampler, SearchSpace, SpaceParameter, StudyView } from "../types";

/** Spaces with at most this many configurations are enumerated when the sampler keeps repeating itself. */
const ENUMERABLE_LIMIT = 100_000;
const FALLBACK_SALT = 0x44555000; // "DUP"

export interface ProposalContext {
  study: StudyView;
  sampler: Sampler;
  space: SearchSpace;
  /** The new trial, as the sampler sees it (no params yet). */
  trial: FrozenTrial;
  /** Keys (configurationKey) of every other trial's configuration. */
  used: ReadonlySet<string>;
  maxAttempts: number;
}

export function proposeConfiguration(ctx: ProposalContext): { params: Params; attempt: number } {
  for (let attempt = 0; attempt < ctx.maxAttempts; attempt++) {
    const params = sampleConfiguration(ctx.study, ctx.sampler, ctx.space, withAttempt(ctx.trial, attempt));
    if (!ctx.used.has(configurationKey(params))) return { params, attempt };
  }
  const unused = unusedConfigurations(ctx.space, ctx.used);
  if (unused) {
    if (unused.length === 0) {
      throw new SearchError("space_exhausted", `all ${finiteSize(ctx.space)} configurations of the space are already running or finished`);
    }
    const pick = Math.floor(trialRng(ctx.study.seed, ctx.trial, FALLBACK_SALT)() * unused.length);
    return { params: unused[pick], attempt: ctx.maxAttempts };
  }
  // Too large to enumerate: random draws on fresh streams collide only by bad luck.
  const random = new RandomSampler();
  for (let attempt = ctx.maxAttempts; attempt < 2 * ctx.maxAttempts + 1; attempt++) {
    const params = sampleConfiguration(ctx.study, random, ctx.space, withAttempt(ctx.trial, attempt));
    if (!ctx.used.has(configurationKey(params))) return { params, attempt };
  }
  throw new SearchError("duplicate_configuration", `could not find a configuration that no other trial has after ${2 * ctx.maxAttempts + 1} attempts`);
}

const withAttempt = (trial: FrozenTrial, attempt: number): FrozenTrial => (attempt ? { ...trial, sampleAttempt: attempt } : trial);

/** The Sampler protocol: joint proposal first, kept for active parameters; independent draws for the rest. */
export function sampleConfiguration(study: StudyView, sampler: Sampler, space: SearchSpace, trial: FrozenTrial): Params {
  const relative = sampler.sampleRelative(study, trial, space);
  return assignActive(space, (name, { spec }) => {
    if (spec.kind === "constant") return spec.value;
    const value = name in relative ? relative[name] : sampler.sampleIndependent(study, trial, name, spec);
    return checkedSample(sampler, name, spec, value);
  });
}

export function checkedSample(sampler: Sampler, name: string, spec: SpaceParameter["spec"], value: ParamValue): ParamValue {
  if (!specContains(spec, value)) {
    const shown = JSON.stringify(value);
    throw new SearchError("invalid_sample", `sampler ${sampler.name} proposed ${shown} for ${name}, which its spec does not allow`);
  }
  return value;
}

const discreteValues = (_: string, { spec }: SpaceParameter) => specValues(spec) ?? [];

function isEnumerable(space: SearchSpace): boolean {
  return Object.values(space).every(({ spec }) => specCardinality(spec) <= ENUMERABLE_LIMIT);
}

function finiteSize(space: SearchSpace): number {
  return countConfigurations(space, discreteValues, ENUMERABLE_LIMIT);
}

/** Configurations no trial has yet, in grid order; null when the space is continuous or too large to list. */
function unusedConfigurations(space: SearchSpace, used: ReadonlySet<string>): Params[] | null {
  if (!isEnumerable(space)) return null;
  const all = enumerateConfigurations(space, discreteValues, ENUMERABLE_LIMIT);
  return all && all.filter((params) => !used.has(configurationKey(params)));
}
