// Worker reports the database could never store, or that carry absurd values, are refused by their schemas with a
// reason naming the field, before anything reaches the database.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { completeReportSchema, describeIssues, epochReportSchema, failedReportSchema, workerHelloSchema } from "../../../server/realtime/payload-schemas";
import { fakeArtifactRef, fakeEpoch, fakeEvaluation } from "../../support/reports";

const trialId = "00000000-0000-4000-8000-000000000000";
const refusal = (schema: z.ZodTypeAny, payload: unknown): string | null => {
  const parsed = schema.safeParse(payload);
  return parsed.success ? null : describeIssues(parsed.error);
};
const epoch = (metrics: Record<string, number>, n = 1) => ({ trialId, attempt: 0, epoch: n, metrics: { ...fakeEpoch(0.5), ...metrics } });
const complete = (patch: (r: any) => void = () => {}) => {
  const report: any = { trialId, attempt: 0, epochsRun: 1, testMetrics: { test_loss: 1, test_accuracy: 0.5 }, artifact: fakeArtifactRef() };
  patch(report);
  return report;
};

describe("epoch reports", () => {
  it("accept ordinary metrics", () => {
    expect(refusal(epochReportSchema, epoch({}))).toBeNull();
    expect(refusal(epochReportSchema, epoch({ val_loss: -1e30, loss: 1e30 }))).toBeNull();
  });

  it.each([
    ["val_accuracy", 1e308],
    ["val_loss", -1e31],
    ["loss", Number.NaN],
    ["accuracy", Number.POSITIVE_INFINITY],
    ["duration_ms", 1e300],
    ["learning_rate", -0.1],
  ])("refuse %s = %s", (name, value) => {
    expect(refusal(epochReportSchema, epoch({ [name]: value }))).toMatch(new RegExp(`^invalid payload: metrics\\.${name}: `));
  });

  it("refuse epochs beyond any trial's", () => {
    expect(refusal(epochReportSchema, epoch({}, 100_001))).toMatch(/^invalid payload: epoch: /);
  });
});

describe("failed and complete reports", () => {
  it("refuse NUL and lone surrogates in error text and stop reasons, naming the field", () => {
    expect(refusal(failedReportSchema, { trialId, attempt: 0, error: "diverged\u0000" })).toMatch(/^invalid payload: error: contains a NUL/);
    expect(refusal(failedReportSchema, { trialId, attempt: 0, error: "diverged at epoch 2: loss is NaN" })).toBeNull();
    expect(refusal(completeReportSchema, complete((r) => (r.stopReason = "early \uD800 stop")))).toMatch(/^invalid payload: stopReason: contains a lone UTF-16 surrogate/);
  });

  it("refuse unstorable text anywhere in the model: metadata strings, params, metric names, model JSON keys and values", () => {
    expect(refusal(completeReportSchema, complete())).toBeNull();
    const cases: [(r: any) => void, string][] = [
      [(r) => (r.artifact.metadata.classNames = ["a", "b\u0000"]), "artifact.metadata.classNames.1"],
      [(r) => (r.artifact.metadata.params = { "opt\u0000": "adam" }), "artifact.metadata.params.opt\u0000"],
      [(r) => (r.artifact.metadata.params = { optimizer: "\uDFFFadam" }), "artifact.metadata.params.optimizer"],
      [(r) => (r.artifact.metadata.metrics = { "val\u0000": 1 }), "artifact.metadata.metrics.val\u0000"],
      [(r) => (r.artifact.metadata.backend = "wasm\u0000"), "artifact.metadata.backend"],
      [(r) => (r.artifact.modelJson.modelTopology = { layers: [{ name: "dense\u0000" }] }), "artifact.modelJson.modelTopology.layers.0.name"],
      [(r) => (r.artifact.modelJson.modelTopology = { "key\uD800": 1 }), "artifact.modelJson.modelTopology.key\uD800"],
    ];
    for (const [patch, path] of cases) expect(refusal(completeReportSchema, complete(patch)), path).toContain(`invalid payload: ${path}: `);
  });

  it("refuse absurd test metrics, and bound the model JSON's nesting", () => {
    expect(refusal(completeReportSchema, complete((r) => (r.testMetrics.test_accuracy = 1e308)))).toMatch(/testMetrics\.test_accuracy/);
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(refusal(completeReportSchema, complete((r) => (r.artifact.modelJson.modelTopology = deep)))).toMatch(/nested deeper than 64 levels/);
  });

  it("drop an evaluation with unstorable text rather than the trained model", () => {
    const parsed = completeReportSchema.safeParse(complete((r) => (r.evaluation = { ...fakeEvaluation(), classNames: ["a\u0000", "b"] })));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.evaluation).toBeUndefined();
  });
});

describe("worker hello", () => {
  it("refuses names the trial table could not store", () => {
    const hello = workerHelloSchema.safeParse({ name: "gpu\u0000box", backend: "webgpu" });
    expect(hello.success).toBe(false);
    expect(hello.error?.issues[0]).toMatchObject({ path: ["name"], message: expect.stringContaining("NUL") });
  });
});
