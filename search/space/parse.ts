// The sweep document's `parameters` with conditions: W&B's per-parameter syntax plus
//   momentum: { min: 0, max: 0.99, when: { optimizer: [sgd] } }        active only for sgd
//   units:    { min: 16, max: 256, per_layer_of: dense_layers }         units_1..units_N, units_i when dense_layers >= i
// Validation reports every problem with the path of its field, relative to `parameters`.
import { z } from "zod";
import { SearchError, formatIssues, type SpaceIssue } from "../errors";
import { checkParameterFields, paramValue, parameterFields, toParameterSpec, type ParameterSpec, type ParamValue } from "../parameters";
import type { Condition, SearchSpace } from "../types";
import { orderByDependencies } from "./dependency-order";
import { isReservedParameterName, listItems } from "./names";
import { specContains } from "./spec-values";

/** Per-layer counts above this are almost certainly typos, and each layer is a parameter of its own. */
export const MAX_LAYERS = 64;
/** Declared parameters of one space (before per-layer expansion). */
export const MAX_PARAMETERS = 200;
/** Entries of one `values` list (or of a condition's list), and characters of one string value. */
export const MAX_VALUES = 1_000;
export const MAX_VALUE_LENGTH = 200;
/** Characters of a parameter name (declared, or referred to by `when` / `per_layer_of`). */
export const MAX_NAME_LENGTH = 100;

const boundedValue = paramValue.refine((v) => typeof v !== "string" || v.length <= MAX_VALUE_LENGTH, `strings are at most ${MAX_VALUE_LENGTH} characters`);
const valueList = z.array(boundedValue).min(1, "list at least one value").max(MAX_VALUES, `at most ${MAX_VALUES} values`);
const referenceName = z.string().min(1).max(MAX_NAME_LENGTH);

/** A declarable name: not a member of Object.prototype (see names.ts). */
const parameterName = referenceName.refine((name) => !isReservedParameterName(name), {
  error: (issue) => `\`${String(issue.input)}\` is reserved (a member of every JavaScript object); choose another name`,
});

const conditionInput = z.union([boundedValue, valueList, z.object({ at_least: z.number().finite() }).strict()]);

export const spaceParameterInputSchema = z
  .object({
    ...parameterFields,
    value: boundedValue.optional(),
    values: z.array(boundedValue).min(1, "values must list at least one value").max(MAX_VALUES, `at most ${MAX_VALUES} values`).optional(),
    when: z.record(referenceName, conditionInput).optional(),
    per_layer_of: referenceName.optional(),
  })
  .strict()
  .superRefine(checkParameterFields);

export type SpaceParameterInput = z.infer<typeof spaceParameterInputSchema>;
export type SearchSpaceInput = Record<string, SpaceParameterInput>;

/** The whole `parameters` object, cross-references included; embed it in a larger document schema as is. */
export const searchSpaceInputSchema = z
  // A bad key's own message ("… is reserved") rather than zod's generic "Invalid key in record".
  .record(parameterName, spaceParameterInputSchema, { error: (issue) => (issue.code === "invalid_key" ? issue.issues?.[0]?.message : undefined) })
  .superRefine((input, ctx) => {
    const count = Object.keys(input).length;
    if (count > MAX_PARAMETERS) return void ctx.addIssue({ code: "custom", message: `${count} parameters; at most ${MAX_PARAMETERS} are supported` });
    for (const issue of buildSearchSpace(input).issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  });

export type ParseSpaceResult = { success: true; space: SearchSpace } | { success: false; issues: SpaceIssue[] };

export function safeParseSearchSpace(input: unknown): ParseSpaceResult {
  const parsed = searchSpaceInputSchema.safeParse(input);
  if (!parsed.success) {
    return { success: false, issues: parsed.error.issues.map((i) => ({ path: i.path.map(pathPart), message: i.message })) };
  }
  const built = buildSearchSpace(parsed.data);
  return built.issues.length ? { success: false, issues: built.issues } : { success: true, space: built.space };
}

/** Parses `parameters` into an ordered, conditional SearchSpace, or throws SearchError("invalid_space") with issues. */
export function parseSearchSpace(input: unknown): SearchSpace {
  const result = safeParseSearchSpace(input);
  if (!result.success) throw new SearchError("invalid_space", `invalid search space: ${formatIssues(result.issues)}`, result.issues);
  return result.space;
}

const pathPart = (part: PropertyKey): string | number => (typeof part === "number" ? part : String(part));

interface Node {
  name: string;
  /** The document entry it comes from (a per-layer parameter's base name). */
  source: string;
  spec: ParameterSpec;
  when: Condition[];
  dependsOn: string[];
}

/** Validates cross-references of already field-valid entries and builds the ordered space. */
export function buildSearchSpace(input: SearchSpaceInput): { space: SearchSpace; issues: SpaceIssue[] } {
  const issues: SpaceIssue[] = [];
  const specs = new Map(Object.entries(input).map(([name, entry]) => [name, toParameterSpec(entry)]));
  const layerCounts = perLayerCounts(input, specs, issues);
  const nodes: Node[] = [];
  for (const [name, entry] of Object.entries(input)) {
    const own = conditionsOf(name, entry, input, specs, layerCounts, issues);
    const count = layerCounts.get(name);
    if (count === undefined) {
      if (!entry.per_layer_of) nodes.push({ name, source: name, spec: specs.get(name)!, when: own, dependsOn: own.map((c) => c.param) });
      continue;
    }
    const target = entry.per_layer_of!;
    for (let layer = 1; layer <= count; layer++) {
      const when = [...own, { param: target, atLeast: layer }];
      nodes.push({ name: layerName(name, layer), source: name, spec: specs.get(name)!, when, dependsOn: when.map((c) => c.param) });
    }
  }
  if (issues.length) return { space: {}, issues };
  const ordered = orderByDependencies(nodes);
  if ("cycle" in ordered) {
    const first = nodes.find((n) => n.name === ordered.cycle[0])!;
    const cycle = ordered.cycle.length > 8 ? [...ordered.cycle.slice(0, 4), `…${ordered.cycle.length - 6} more…`, ...ordered.cycle.slice(-2)] : ordered.cycle;
    issues.push({ path: [first.source, "when"], message: `circular condition: ${cycle.join(" → ")}` });
    return { space: {}, issues };
  }
  const space: SearchSpace = {};
  for (const node of ordered.nodes) space[node.name] = node.when.length ? { spec: node.spec, when: node.when } : { spec: node.spec };
  return { space, issues };
}

export const layerName = (name: string, layer: number) => `${name}_${layer}`;

/** Number of layers of each per-layer entry: the maximum of the integer parameter it follows. */
function perLayerCounts(input: SearchSpaceInput, specs: Map<string, ParameterSpec>, issues: SpaceIssue[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [name, entry] of Object.entries(input)) {
    const target = entry.per_layer_of;
    if (target === undefined) continue;
    const path = [name, "per_layer_of"];
    const problem = perLayerTargetProblem(name, target, input, specs);
    if (problem) {
      issues.push({ path, message: problem });
      continue;
    }
    const spec = specs.get(target)!;
    const count = spec.kind === "constant" ? (spec.value as number) : (spec as { max: number }).max;
    const taken = Array.from({ length: count }, (_, i) => layerName(name, i + 1)).find((n) => Object.hasOwn(input, n));
    if (taken) issues.push({ path, message: `expands to \`${taken}\`, which is also declared` });
    else counts.set(name, count);
  }
  return counts;
}

function perLayerTargetProblem(name: string, target: string, input: SearchSpaceInput, specs: Map<string, ParameterSpec>): string | null {
  if (target === name) return "a parameter cannot be per-layer of itself";
  const spec = specs.get(target);
  if (!spec) return unknownReference(target, specs);
  if (input[target].per_layer_of) return `\`${target}\` is itself per-layer; per-layer parameters cannot be nested`;
  const isIntRange = spec.kind === "int" && !spec.log && spec.q === undefined;
  const isIntConstant = spec.kind === "constant" && typeof spec.value === "number" && Number.isInteger(spec.value);
  if (!isIntRange && !isIntConstant) {
    return `\`${target}\` must be an integer range (integer min and max) to count layers; it is ${describeSpec(spec)}`;
  }
  const [min, max] = spec.kind === "int" ? [spec.min, spec.max] : [spec.value as number, spec.value as number];
  if (min < 0) return `\`${target}\` counts layers, so it cannot be negative (min is ${min})`;
  if (max > MAX_LAYERS) return `\`${target}\` allows ${max} layers; at most ${MAX_LAYERS} are supported`;
  return null;
}

function describeSpec(spec: ParameterSpec): string {
  if (spec.kind === "float") return spec.log ? "a log-scale float range" : "a float range";
  if (spec.kind === "int") return spec.log ? "a log-scale integer range" : "a stepped integer range";
  return spec.kind === "constant" ? `the constant ${JSON.stringify(spec.value)}` : "categorical";
}

/** Reads an entry's `when` into conditions, checking each referenced parameter and value. */
function conditionsOf(
  name: string,
  entry: SpaceParameterInput,
  input: SearchSpaceInput,
  specs: Map<string, ParameterSpec>,
  layerCounts: Map<string, number>,
  issues: SpaceIssue[],
): Condition[] {
  const conditions: Condition[] = [];
  for (const [ref, raw] of Object.entries(entry.when ?? {})) {
    const path = [name, "when", ref];
    const refSpec = resolveReference(name, ref, input, specs, layerCounts, (message) => issues.push({ path, message }));
    if (!refSpec) continue;
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
      if (numericSpec(refSpec)) conditions.push({ param: ref, atLeast: raw.at_least });
      else issues.push({ path: [...path, "at_least"], message: `at_least needs a numeric parameter; \`${ref}\` is ${describeSpec(refSpec)}` });
      continue;
    }
    const values: ParamValue[] = Array.isArray(raw) ? raw : [raw];
    values.forEach((value, i) => {
      if (!specContains(refSpec, value)) {
        const where = Array.isArray(raw) ? [...path, i] : path;
        issues.push({ path: where, message: `${JSON.stringify(value)} is not a value \`${ref}\` can take (${describeValues(refSpec)})` });
      }
    });
    conditions.push({ param: ref, in: values });
  }
  return conditions;
}

/** The spec a `when` key refers to: a declared parameter or one layer of a per-layer one. */
function resolveReference(
  name: string,
  ref: string,
  input: SearchSpaceInput,
  specs: Map<string, ParameterSpec>,
  layerCounts: Map<string, number>,
  report: (message: string) => void,
): ParameterSpec | null {
  if (ref === name) return report("a parameter cannot depend on itself"), null;
  if (Object.hasOwn(input, ref)) {
    if (!input[ref].per_layer_of) return specs.get(ref)!;
    const count = layerCounts.get(ref);
    if (count !== undefined) report(`\`${ref}\` is per-layer; refer to one layer (${layerName(ref, 1)} … ${layerName(ref, count)})`);
    return null;
  }
  const layer = /^(.*)_(\d+)$/.exec(ref);
  const count = layer ? layerCounts.get(layer[1]) : undefined;
  if (layer && count !== undefined && Number(layer[2]) >= 1 && Number(layer[2]) <= count) return specs.get(layer[1])!;
  report(unknownReference(ref, specs));
  return null;
}

/** Names a few declared parameters only: listing all of them in every such error made errors quadratic. */
function unknownReference(ref: string, specs: Map<string, ParameterSpec>): string {
  return `unknown parameter \`${ref}\` (declared: ${listItems(specs.keys(), specs.size)})`;
}

function numericSpec(spec: ParameterSpec): boolean {
  if (spec.kind === "int" || spec.kind === "float") return true;
  const values = spec.kind === "constant" ? [spec.value] : spec.values;
  return values.every((v) => typeof v === "number");
}

function describeValues(spec: ParameterSpec): string {
  switch (spec.kind) {
    case "constant":
      return `only ${JSON.stringify(spec.value)}`;
    case "categorical":
      return `one of ${listItems(spec.values.slice(0, 10).map((v) => JSON.stringify(v)), spec.values.length, { max: 10 })}`;
    default:
      return `${spec.kind === "int" ? "an integer" : "a number"} from ${spec.min} to ${spec.max}${spec.q ? ` in steps of ${spec.q}` : ""}`;
  }
}
