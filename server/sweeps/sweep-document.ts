// The sweep document: what a user submits (web form, JSON, later YAML). Validated at the edge with zod;
// every problem is reported with the path of the field it concerns.
import { z } from "zod";
import { PRUNER_NAMES } from "../../search/pruners/index";
import { SAMPLER_NAMES } from "../../search/samplers/registry";
import { parseSearchSpace, searchSpaceInputSchema } from "../../search/space/parse";
import { createStudy } from "../../search/study/study";
import type { SearchSpace } from "../../search/types";
import { TEMPLATE_NAMES } from "../training/types";
import { datasetSchema, templateProblem } from "./dataset-document";
import { prunerFor, samplerFor } from "./search-config";
import { templateParameterIssues } from "./template-rules";

export const METRICS = ["val_accuracy", "val_loss", "accuracy", "loss"] as const;
export type MetricName = (typeof METRICS)[number];

const positiveInt = z.number().int().positive();

/** The budget: edited live too (PATCH /api/sweeps/:id), so it stands alone. */
export const budgetSchema = z
  .object({
    max_trials: positiveInt.max(10000),
    concurrency: positiveInt.max(64).default(1),
    /** No new trial starts after this many minutes from the sweep's creation. */
    max_minutes: z.number().positive().max(60 * 24 * 365).optional(),
    /** No new trial starts once a complete trial reaches this value of the metric (per the goal). */
    target_value: z.number().finite().optional(),
    /** The sweep fails after this many trials in a row fail. */
    max_consecutive_failures: positiveInt.max(10000).optional(),
  })
  .strict();

export const sweepDocumentSchema = z
  .object({
    name: z.string().trim().min(1, "name is required").max(100),
    description: z.string().max(2000).optional(),
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
        baseline: z.number().finite().optional(),
        restore_best_weights: z.boolean().default(false),
        start_from_epoch: z.number().int().min(0).default(0),
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
    priority: z.number().positive().max(1000).default(1),
    /** `gpu: true`: trials wait for a GPU worker (webgpu or tfjs-node-gpu); otherwise any worker may train them. */
    resources: z.object({ gpu: z.boolean().default(false) }).strict().optional(),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const mismatch = templateProblem(doc.dataset, doc.model.template);
    if (mismatch) ctx.addIssue({ code: "custom", path: ["model", "template"], message: mismatch });
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

export function parseSweepDocument(input: unknown, fallbackSeed = Math.floor(Math.random() * 2 ** 31)): ParseResult {
  const parsed = sweepDocumentSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
    };
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
