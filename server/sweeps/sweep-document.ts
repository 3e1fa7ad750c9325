// The sweep document: what a user submits (web form, JSON, later YAML). Checked at the edge for size and storable
// text (input-limits.ts), then validated with zod; every problem is reported with the path of the field it concerns,
// in a bounded list (limits: document-limits.ts).
import { z } from "zod";
import { PRUNER_NAMES } from "../../search/pruners/index";
import { SAMPLER_NAMES } from "../../search/samplers/registry";
import { parseSearchSpace, searchSpaceInputSchema } from "../../search/space/parse";
import { createStudy } from "../../search/study/study";
import type { SearchSpace } from "../../search/types";
import { TEMPLATE_NAMES } from "../training/types";
import { datasetSchema, templateProblem } from "./dataset-document";
import { DOCUMENT_LIMITS as LIMITS } from "./document-limits";
import { boundErrors, inputLimitIssues, joinPath } from "./input-limits";
import { prunerFor, samplerFor } from "./search-config";
import { templateParameterIssues } from "./template-rules";

export const METRICS = ["val_accuracy", "val_loss", "accuracy", "loss"] as const;
export type MetricName = (typeof METRICS)[number];

const positiveInt = z.number().int().positive();
const metricValue = z.number().min(-LIMITS.metricMagnitude).max(LIMITS.metricMagnitude);

/** The budget: edited live too (PATCH /api/sweeps/:id), so it stands alone. */
export const budgetSchema = z
  .object({
    max_trials: positiveInt.max(LIMITS.maxTrials),
    concurrency: positiveInt.max(LIMITS.concurrency).default(1),
    /** No new trial starts after this many minutes from the sweep's creation. */
    max_minutes: z.number().positive().max(LIMITS.maxMinutes).optional(),
    /** No new trial starts once a complete trial reaches this value of the metric (per the goal). */
    target_value: metricValue.optional(),
    /** The sweep fails after this many trials in a row fail. */
    max_consecutive_failures: positiveInt.max(LIMITS.maxTrials).optional(),
  })
  .strict();

export const sweepDocumentSchema = z
  .object({
    name: z.string().trim().min(1, "name is required").max(LIMITS.nameLength),
    description: z.string().max(LIMITS.descriptionLength).optional(),
    dataset: datasetSchema,
    model: z.object({ template: z.enum(TEMPLATE_NAMES) }).strict(),
    method: z.enum(SAMPLER_NAMES).default("random"),
    metric: z
      .object({ name: z.enum(METRICS).default("val_accuracy"), goal: z.enum(["maximize", "minimize"]).optional() })
      .strict()
      .default({ name: "val_accuracy" }),
    parameters: searchSpaceInputSchema,
    /** Cross-trial pruning: `{ type: "median" | "percentile" | "asha" | "hyperband" | …, <options in snake_case> }`. */
    pruner: z.object({ type: z.enum(PRUNER_NAMES) }).catchall(z.unknown()).optional(),
    /** Keras EarlyStopping for each trial on its own metrics. */
    early_stopping: z
      .object({
        monitor: z.enum(METRICS).default("val_loss"),
        mode: z.enum(["min", "max", "auto"]).default("auto"),
        patience: z.number().int().min(0).max(1000).default(0),
        min_delta: z.number().finite().min(0).default(0),
        baseline: metricValue.optional(),
        restore_best_weights: z.boolean().default(false),
        start_from_epoch: z.number().int().min(0).max(1000).default(0),
      })
      .strict()
      .optional(),
    /** Keras ModelCheckpoint(save_best_only=True): each trial keeps (and exports) its best epoch by `monitor`. */
    checkpoint: z
      .object({
        monitor: z.enum(METRICS).default("val_loss"),
        mode: z.enum(["min", "max", "auto"]).default("auto"),
      })
      .strict()
      .optional(),
    budget: budgetSchema,
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    /** Share of the workers against other running sweeps: a sweep with priority 3 starts three trials for every
     *  one of a priority-1 sweep while both have trials waiting. */
    priority: z.number().min(LIMITS.priority.min).max(LIMITS.priority.max).default(1),
    /** `gpu: true`: trials wait for a GPU worker (webgpu or tfjs-node-gpu); otherwise any worker may train them. */
    resources: z.object({ gpu: z.boolean().default(false) }).strict().optional(),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const mismatch = templateProblem(doc.dataset, doc.model.template);
    if (mismatch) ctx.addIssue({ code: "custom", path: ["model", "template"], message: mismatch });
    for (const issue of prunerIssues(doc.pruner, doc.metric.name)) ctx.addIssue({ code: "custom", ...issue });
    for (const issue of templateParameterIssues(doc.model.template, doc.parameters)) {
      ctx.addIssue({ code: "custom", path: ["parameters", ...issue.path], message: issue.message });
    }
    checkSearchSettings(doc, ctx);
  });

/** Builds the sampler and pruner once and asks for a first trial, so a setting that cannot work (a grid over a
 *  continuous range without a step, a bad pruner option) is a field error now rather than a failed sweep later. */
function checkSearchSettings(doc: z.output<typeof sweepDocumentSchema>, ctx: z.RefinementCtx): void {
  let space: SearchSpace;
  try {
    // Parsed again: zod runs this refinement even when fields of `parameters` failed their own checks.
    space = parseSearchSpace(doc.parameters);
  } catch {
    return; // already reported field by field
  }
  try {
    const pruner = prunerFor(doc.pruner, doc.metric.name);
    createStudy({ space, sampler: samplerFor(doc.method), pruner, seed: 0 }).ask();
  } catch (error) {
    const e = error as Error & { field?: string; issues?: { path: (string | number)[] }[] };
    if (e.name === "PrunerOptionError") {
      const field = snake(e.field ?? "");
      ctx.addIssue({ code: "custom", path: ["pruner", field], message: e.message.replace(e.field ?? "", field) });
    }
    else ctx.addIssue({ code: "custom", path: e.name === "SearchError" && e.issues?.length ? ["parameters", ...e.issues[0].path] : ["method"], message: e.message });
  }
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The pruner ranks trials by the sweep's metric: a different `metric` used to override it silently. Its other
 *  options are numbers (checked by the pruner itself) or short text. */
function prunerIssues(pruner: Record<string, unknown> | undefined, metric: MetricName): { path: string[]; message: string }[] {
  if (typeof pruner !== "object" || pruner === null) return []; // a malformed block has its own field error
  const issues: { path: string[]; message: string }[] = [];
  for (const [key, value] of Object.entries(pruner)) {
    const path = ["pruner", key];
    if (key === "metric" && value !== metric) {
      issues.push({ path, message: `the pruner uses the sweep's metric (${metric}); remove \`metric\` or change \`metric.name\`` });
    } else if (typeof value === "string" && value.length > LIMITS.prunerTextLength) {
      issues.push({ path, message: `at most ${LIMITS.prunerTextLength} characters` });
    } else if (typeof value === "number" && Math.abs(value) > LIMITS.metricMagnitude) {
      issues.push({ path, message: `must be within ±${LIMITS.metricMagnitude}` });
    }
  }
  return issues;
}

export type SweepDocumentInput = z.input<typeof sweepDocumentSchema>;
export type SweepDocument = z.output<typeof sweepDocumentSchema> & {
  metric: { name: MetricName; goal: "maximize" | "minimize" };
  seed: number;
};

export interface FieldError {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; document: SweepDocument } | { ok: false; errors: FieldError[] };

/** Loss-like metrics are minimised unless the user says otherwise. */
export function defaultGoal(metric: MetricName): "maximize" | "minimize" {
  return metric.endsWith("loss") ? "minimize" : "maximize";
}

/** Validates a parsed JSON body. Edge limits come first and alone: a body that breaks them (too deep, too big, a
 *  NUL) is not worth a schema pass, and schema errors about it could be as large as the body. */
export function parseSweepDocument(input: unknown, fallbackSeed = Math.floor(Math.random() * 2 ** 31)): ParseResult {
  const edge = inputLimitIssues(input, LIMITS.edge);
  if (edge.length) return { ok: false, errors: boundErrors(edge.map((issue) => ({ path: joinPath(issue.path), message: issue.message }))) };
  const parsed = sweepDocumentSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: boundErrors(parsed.error.issues.map((issue) => ({ path: joinPath(issue.path), message: issue.message }))) };
  }
  const doc = parsed.data;
  return {
    ok: true,
    document: {
      ...doc,
      metric: { name: doc.metric.name, goal: doc.metric.goal ?? defaultGoal(doc.metric.name) },
      seed: doc.seed ?? fallbackSeed,
    },
  };
}

export function searchSpaceOf(doc: SweepDocument): SearchSpace {
  return parseSearchSpace(doc.parameters);
}
