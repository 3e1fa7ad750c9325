// The W&B sweep parameter syntax users already know, parsed into a small tagged union the samplers work on.
import { z } from "zod";

export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

export type ParameterSpec =
  | { kind: "constant"; value: ParamValue }
  | { kind: "categorical"; values: ParamValue[] }
  | { kind: "int"; min: number; max: number; log: boolean; q?: number }
  | { kind: "float"; min: number; max: number; log: boolean; q?: number };

export const DISTRIBUTIONS = [
  "constant",
  "categorical",
  "int_uniform",
  "uniform",
  "q_uniform",
  "log_uniform_values",
  "q_log_uniform_values",
] as const;

const finite = z.number().finite();
export const paramValue = z.union([z.string(), finite, z.boolean()]);

/** The fields of one parameter entry; search/space extends them with conditions. */
export const parameterFields = {
  value: paramValue.optional(),
  values: z.array(paramValue).min(1, "values must list at least one value").optional(),
  min: finite.optional(),
  max: finite.optional(),
  q: finite.positive("q must be positive").optional(),
  distribution: z.enum(DISTRIBUTIONS).optional(),
};

type ParameterFields = z.infer<z.ZodObject<typeof parameterFields>>;

/** The rules between an entry's fields (one of value/values/range, bounds, distribution needs). */
export function checkParameterFields(p: ParameterFields, ctx: z.RefinementCtx): void {
  const kinds = [p.value !== undefined, p.values !== undefined, p.min !== undefined || p.max !== undefined];
  const given = kinds.filter(Boolean).length;
  if (given !== 1) {
    ctx.addIssue({ code: "custom", message: "give exactly one of `value`, `values`, or `min`/`max`" });
    return;
  }
  if (p.min !== undefined || p.max !== undefined) {
    if (p.min === undefined) ctx.addIssue({ code: "custom", path: ["min"], message: "min is required with max" });
    if (p.max === undefined) ctx.addIssue({ code: "custom", path: ["max"], message: "max is required with min" });
    if (p.min === undefined || p.max === undefined) return;
    if (p.min > p.max) ctx.addIssue({ code: "custom", path: ["min"], message: `min (${p.min}) must not exceed max (${p.max})` });
    const dist = p.distribution;
    if (dist && ["constant", "categorical"].includes(dist)) {
      ctx.addIssue({ code: "custom", path: ["distribution"], message: `${dist} does not take min/max` });
    }
    if (dist?.includes("log") && p.min <= 0) {
      ctx.addIssue({ code: "custom", path: ["min"], message: "a log distribution needs min > 0" });
    }
    if (dist === "int_uniform" && (!Number.isInteger(p.min) || !Number.isInteger(p.max))) {
      ctx.addIssue({ code: "custom", path: ["min"], message: "int_uniform needs integer min and max" });
    }
    if (dist === "int_uniform" && p.q !== undefined && !Number.isInteger(p.q)) {
      ctx.addIssue({ code: "custom", path: ["q"], message: "int_uniform needs an integer q" });
    }
    if (dist?.startsWith("q_") && p.q === undefined) {
      ctx.addIssue({ code: "custom", path: ["q"], message: `${dist} needs q` });
    }
  } else if (p.distribution && !["constant", "categorical"].includes(p.distribution)) {
    ctx.addIssue({ code: "custom", path: ["distribution"], message: `${p.distribution} needs min and max` });
  }
}

/** One entry of `parameters` in a sweep document, as written by the user. */
export const parameterInputSchema = z.object(parameterFields).strict().superRefine(checkParameterFields);

export type ParameterInput = z.infer<typeof parameterInputSchema>;

/** Turns a validated user entry into the sampler's form. W&B rule: integer min and max mean an integer range. */
export function toParameterSpec(p: ParameterInput): ParameterSpec {
  if (p.value !== undefined) return { kind: "constant", value: p.value };
  if (p.values !== undefined) return { kind: "categorical", values: p.values };
  const min = p.min as number;
  const max = p.max as number;
  const dist = p.distribution ?? (Number.isInteger(min) && Number.isInteger(max) ? "int_uniform" : "uniform");
  const log = dist.includes("log");
  if (dist === "int_uniform") return { kind: "int", min, max, log: false, ...(p.q !== undefined ? { q: p.q } : {}) };
  return { kind: "float", min, max, log, ...(p.q !== undefined ? { q: p.q } : {}) };
}

/** Every value a spec can produce is within these bounds (used to check template rules). */
export function specExtremes(spec: ParameterSpec): ParamValue[] {
  switch (spec.kind) {
    case "constant":
      return [spec.value];
    case "categorical":
      return spec.values;
    default:
      return [spec.min, spec.max];
  }
}
