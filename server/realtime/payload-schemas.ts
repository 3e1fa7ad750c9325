// zod schemas for everything that arrives over Socket.IO. Nothing from a socket is trusted unparsed.
import { z } from "zod";
import { MAX_SAMPLE_FEATURES } from "../training/types";

const finite = z.number().finite();
const metric = z.number().refine((v) => !Number.isNaN(v), "must be a number, not NaN");

export const workerHelloSchema = z.object({
  token: z.string().min(1, "token is required"),
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(100),
  backend: z.string().min(1).max(50),
  device: z.string().max(200).optional(),
  memoryBytes: z.number().int().nonnegative().optional(),
  cores: z.number().int().positive().max(100_000).optional(),
  busyWith: z.string().uuid().nullable().optional(),
});

export const trialIdSchema = z.object({ trialId: z.string().uuid() });

const attempt = z.number().int().min(0).max(1000);

export const epochReportSchema = z.object({
  trialId: z.string().uuid(),
  attempt,
  epoch: z.number().int().min(1).max(100000),
  metrics: z.object({
    loss: metric,
    accuracy: metric,
    val_loss: metric,
    val_accuracy: metric,
    duration_ms: finite.nonnegative(),
    images_per_sec: finite.nonnegative(),
    learning_rate: finite.nonnegative(),
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
    featureNames: z.array(z.string().max(200)).max(MAX_SAMPLE_FEATURES),
    rows: z.array(z.object({ features: z.array(finite).max(MAX_SAMPLE_FEATURES), ...prediction })).max(MAX_SAMPLES),
  })
  .refine((f) => f.rows.every((row) => row.features.length === f.featureNames.length), "each sample row needs one value per feature name");

export const evaluationSchema = z
  .object({
    classNames: z.array(z.string().max(200)).min(1).max(MAX_CLASSES),
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

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, "weights must be binary");

export const completeReportSchema = z.object({
  trialId: z.string().uuid(),
  attempt,
  epochsRun: z.number().int().min(0),
  stopReason: z.string().max(2000).optional(),
  testMetrics: z.object({ test_loss: metric, test_accuracy: metric }),
  // A malformed evaluation is dropped rather than refusing the report: the trained model must not be lost over it.
  evaluation: evaluationSchema.optional().catch(undefined),
  artifact: z.object({
    modelJson: z.record(z.string(), z.unknown()),
    weights: bytes,
    metadata: z.object({
      classNames: z.array(z.string()),
      inputShape: z.array(z.number().int()),
      preprocessing: z.union([
        z.object({ scale: finite, description: z.string() }),
        z.object({ featureNames: z.array(z.string()), mean: z.array(finite), std: z.array(finite), description: z.string() }),
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
          file: z.string().max(500),
          label: z.string(),
          features: z.array(z.string()),
          ignore: z.array(z.string()).optional(),
          validationSplit: finite,
          testSplit: finite,
          testRows: count,
          seed: z.number().int(),
        }),
      ]),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      metrics: z.record(z.string(), metric),
      backend: z.string(),
      createdAt: z.string(),
    }),
  }),
});

export const failedReportSchema = z.object({ trialId: z.string().uuid(), attempt, error: z.string().max(10000) });

export const subscribeSchema = z.object({ sweepId: z.string().uuid() });

/** "field: message" for the first problem, to send back in an ack. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  return `invalid payload: ${issue.path.join(".") || "(root)"}: ${issue.message}`;
}
