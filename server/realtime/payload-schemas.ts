// zod schemas for everything that arrives over Socket.IO. Nothing from a socket is trusted unparsed.
import { z } from "zod";

const finite = z.number().finite();
const metric = z.number().refine((v) => !Number.isNaN(v), "must be a number, not NaN");

export const workerHelloSchema = z.object({
  token: z.string().min(1, "token is required"),
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(100),
  backend: z.string().min(1).max(50),
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
  }),
});

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, "weights must be binary");

export const completeReportSchema = z.object({
  trialId: z.string().uuid(),
  attempt,
  epochsRun: z.number().int().min(0),
  stopReason: z.string().max(2000).optional(),
  testMetrics: z.object({ test_loss: metric, test_accuracy: metric }),
  artifact: z.object({
    modelJson: z.record(z.string(), z.unknown()),
    weights: bytes,
    metadata: z.object({
      classNames: z.array(z.string()),
      inputShape: z.array(z.number().int()),
      preprocessing: z.object({ scale: finite, description: z.string() }),
      dataset: z.object({
        name: z.literal("fashion-mnist"),
        subset: z.number().int().positive().optional(),
        validationSplit: finite,
        testSplit: z.literal("official-test"),
        testSubset: z.number().int().positive().optional(),
        seed: z.number().int(),
      }),
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
