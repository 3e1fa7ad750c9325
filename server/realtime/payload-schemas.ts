// zod schemas for everything that arrives over Socket.IO. Nothing from a socket is trusted unparsed, and nothing
// the database could never store passes: every string is storable text (no NUL, no lone surrogate), every metric
// finite and within ±1e30, so a report is either stored or refused with a reason, never failed by the database.
import { z } from "zod";
import { MAX_METRIC_MAGNITUDE } from "../sweeps/document-limits";
import { inputLimitIssues, isStorableText, unstorableTextProblem, type InputLimits } from "../sweeps/input-limits";
import { MAX_SAMPLE_FEATURES } from "../training/types";
import { SHA256_HEX } from "../artifacts/artifact-store";

/** Text of at most `max` characters that PostgreSQL can store (as text or inside jsonb). */
const text = (max: number) =>
  z.string().max(max).refine(isStorableText, { error: (issue) => unstorableTextProblem(String(issue.input)) ?? "not storable text" });

const finite = z.number().finite();
// zod refuses NaN and ±Infinity for every number; a diverged trial fails through trial:failed (train-trial.ts), so
// an epoch never needs to carry one.
const withinMagnitude = `must be within ±${MAX_METRIC_MAGNITUDE}`;
const metric = z.number().min(-MAX_METRIC_MAGNITUDE, withinMagnitude).max(MAX_METRIC_MAGNITUDE, withinMagnitude);
const nonNegative = metric.min(0);

/** model.json as TF.js writes it: arbitrary JSON, walked for depth, size and storable text (transfer-learning
 *  topologies run to tens of thousands of values). */
const MODEL_JSON_LIMITS: InputLimits = {
  maxDepth: 64,
  maxNodes: 1_000_000,
  maxStringLength: 1_000_000,
  maxKeyLength: 1_000,
  maxKeys: 100_000,
  maxArrayLength: 1_000_000,
};
/** Epochs a report may name; the trial's own epoch count is checked where the trial is known (trial-store.ts). */
export const MAX_REPORTED_EPOCH = 100_000;
const MAX_COLUMNS = 10_000;

export const workerHelloSchema = z.object({
  name: text(100).min(1),
  backend: text(50).min(1),
  device: text(200).optional(),
  memoryBytes: z.number().int().nonnegative().optional(),
  cores: z.number().int().positive().max(100_000).optional(),
  busyWith: z.string().uuid().nullable().optional(),
  resume: z.object({ workerId: z.string().uuid(), ticket: z.string().min(1).max(100) }).optional(),
});

export const trialIdSchema = z.object({ trialId: z.string().uuid() });

const attempt = z.number().int().min(0).max(1000);

export const epochReportSchema = z.object({
  trialId: z.string().uuid(),
  attempt,
  epoch: z.number().int().min(1).max(MAX_REPORTED_EPOCH),
  metrics: z.object({
    loss: metric,
    accuracy: metric,
    val_loss: metric,
    val_accuracy: metric,
    duration_ms: nonNegative,
    images_per_sec: nonNegative,
    learning_rate: nonNegative,
  }),
});

// The end-of-trial evaluation is stored and served on demand: bounded so one report stays small (about 20 kB
// for 10 classes and 12 sample images).
const MAX_CLASSES = 100;
const MAX_SAMPLES = 16;
const MAX_SAMPLE_SIDE = 64;
const ratio = z.number().min(0).max(1);
const count = z.number().int().min(0);
const classIndex = count.max(MAX_CLASSES - 1);

const classificationReportSchema = z.object({
  count,
  loss: metric,
  accuracy: metric,
  macro: z.object({ precision: ratio, recall: ratio, f1: ratio }),
  perClass: z.array(z.object({ precision: ratio, recall: ratio, f1: ratio, support: count })).max(MAX_CLASSES),
  confusion: z.array(z.array(count).max(MAX_CLASSES)).max(MAX_CLASSES),
});

const prediction = {
  label: classIndex,
  predicted: classIndex,
  // float32 softmax outputs may round a hair above 1.
  confidence: z.number().min(0).max(1 + 1e-6),
};

const samplePredictionSchema = z
  .object({
    width: z.number().int().min(1).max(MAX_SAMPLE_SIDE),
    height: z.number().int().min(1).max(MAX_SAMPLE_SIDE),
    pixels: z.string().max(Math.ceil((MAX_SAMPLE_SIDE * MAX_SAMPLE_SIDE) / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64"),
    ...prediction,
  })
  .refine((s) => Buffer.from(s.pixels, "base64").length === s.width * s.height, "pixels must hold width * height bytes");

// Tabular datasets' sample rows: a table's first few feature values per row.
const featureSamplesSchema = z
  .object({
    featureNames: z.array(text(200)).max(MAX_SAMPLE_FEATURES),
    rows: z.array(z.object({ features: z.array(metric).max(MAX_SAMPLE_FEATURES), ...prediction })).max(MAX_SAMPLES),
  })
  .refine((f) => f.rows.every((row) => row.features.length === f.featureNames.length), "each sample row needs one value per feature name");

export const evaluationSchema = z
  .object({
    classNames: z.array(text(200)).min(1).max(MAX_CLASSES),
    validation: classificationReportSchema.nullable(),
    test: classificationReportSchema,
    samples: z.array(samplePredictionSchema).max(MAX_SAMPLES),
    featureSamples: featureSamplesSchema.optional(),
  })
  .refine((e) => {
    const n = e.classNames.length;
    const fits = (r: z.infer<typeof classificationReportSchema> | null) =>
      r === null || (r.perClass.length === n && r.confusion.length === n && r.confusion.every((row) => row.length === n));
    const samples = [...e.samples, ...(e.featureSamples?.rows ?? [])];
    return fits(e.validation) && fits(e.test) && samples.every((s) => s.label < n && s.predicted < n);
  }, "reports and samples must match the number of classes");

/** The weights travel over HTTP (PUT /api/worker/artifacts/:sha256); the report names the uploaded blob. */
const blobRef = z.object({
  sha256: z.string().regex(SHA256_HEX, "must be a sha256: 64 lowercase hex digits"),
  bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

export const completeReportSchema = z.object({
  trialId: z.string().uuid(),
  attempt,
  epochsRun: z.number().int().min(0).max(MAX_REPORTED_EPOCH),
  stopReason: text(2000).optional(),
  testMetrics: z.object({ test_loss: metric, test_accuracy: metric }),
  // A malformed evaluation is dropped rather than refusing the report: the trained model must not be lost over it.
  evaluation: evaluationSchema.optional().catch(undefined),
  artifact: z.object({
    modelJson: z.record(z.string(), z.unknown()).superRefine((json, ctx) => {
      for (const issue of inputLimitIssues(json, MODEL_JSON_LIMITS, { maxIssues: 1 })) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }),
    weights: blobRef,
    metadata: z.object({
      classNames: z.array(text(200)).max(MAX_CLASSES),
      inputShape: z.array(z.number().int().min(-1).max(1_000_000)).max(8),
      preprocessing: z.union([
        z.object({ scale: metric, description: text(2000) }),
        z.object({ featureNames: z.array(text(200)).max(MAX_COLUMNS), mean: z.array(metric).max(MAX_COLUMNS), std: z.array(metric).max(MAX_COLUMNS), description: text(2000) }),
      ]),
      dataset: z.discriminatedUnion("name", [
        z.object({
          name: z.literal("fashion-mnist"),
          subset: z.number().int().positive().optional(),
          validationSplit: finite,
          testSplit: z.literal("official-test"),
          testSubset: z.number().int().positive().optional(),
          seed: z.number().int(),
        }),
        z.object({
          name: z.literal("csv"),
          file: text(500),
          label: text(200),
          features: z.array(text(200)).max(MAX_COLUMNS),
          ignore: z.array(text(200)).max(MAX_COLUMNS).optional(),
          validationSplit: finite,
          testSplit: finite,
          testRows: count,
          seed: z.number().int(),
        }),
      ]),
      params: z.record(text(200), z.union([text(200), finite, z.boolean()])),
      metrics: z.record(text(200), metric),
      backend: text(200),
      createdAt: text(100),
    }),
  }),
});

/** `kind` "killed": the trainer died of a signal (an infrastructure fault, re-run); absent from older workers, which
 *  report every failure as "error" (training raised: the trial fails). */
export const failedReportSchema = z.object({ trialId: z.string().uuid(), attempt, error: text(10_000), kind: z.enum(["error", "killed"]).optional() });

export const subscribeSchema = z.object({ sweepId: z.string().uuid() });

/** "field: message" for the first problem, to send back in an ack. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  return `invalid payload: ${issue.path.join(".") || "(root)"}: ${issue.message}`;
}
