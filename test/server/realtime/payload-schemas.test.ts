// The worker protocol's bounds on the end-of-trial evaluation: well-formed reports pass, oversized or
// inconsistent ones are refused before anything is stored.
import { describe, expect, it } from "vitest";
import { completeReportSchema, epochReportSchema, evaluationSchema } from "../../../server/realtime/payload-schemas";
import { fakeArtifact, fakeArtifactRef, fakeEpoch, fakeEvaluation } from "../../support/reports";

const problem = (value: unknown) => {
  const parsed = evaluationSchema.safeParse(value);
  return parsed.success ? null : parsed.error.issues[0].message;
};

describe("evaluationSchema", () => {
  it("accepts a well-formed evaluation, and complete reports with or without one", () => {
    expect(problem(fakeEvaluation())).toBeNull();
    const report = { trialId: "00000000-0000-4000-8000-000000000000", attempt: 0, epochsRun: 1, testMetrics: { test_loss: 1, test_accuracy: 0.5 }, artifact: fakeArtifactRef() };
    expect(completeReportSchema.safeParse({ ...report, evaluation: fakeEvaluation() }).data?.evaluation).toEqual(fakeEvaluation());
    expect(completeReportSchema.safeParse(report).success).toBe(true);
    // A malformed evaluation does not cost the trial its model: the report is stored without it.
    const broken = completeReportSchema.safeParse({ ...report, evaluation: { ...fakeEvaluation(), classNames: [] } });
    expect(broken.success && broken.data.evaluation).toBeUndefined();
  });

  it("takes the weights by reference only: bytes and malformed hashes are refused", () => {
    const report = { trialId: "00000000-0000-4000-8000-000000000000", attempt: 0, epochsRun: 1, testMetrics: { test_loss: 1, test_accuracy: 0.5 } };
    const withWeights = (weights: unknown) => completeReportSchema.safeParse({ ...report, artifact: { ...fakeArtifactRef(), weights } }).success;
    expect(withWeights(fakeArtifactRef().weights)).toBe(true);
    expect(withWeights(fakeArtifact().weights)).toBe(false);
    expect(withWeights({ sha256: "A".repeat(64), bytes: 4 })).toBe(false);
    expect(withWeights({ sha256: "a".repeat(63), bytes: 4 })).toBe(false);
    expect(withWeights({ sha256: "a".repeat(64), bytes: -1 })).toBe(false);
  });

  it("refuses reports that do not match the classes", () => {
    const evaluation = fakeEvaluation();
    expect(problem({ ...evaluation, classNames: ["a", "b", "c"] })).toMatch(/match the number of classes/);
    expect(problem({ ...evaluation, samples: [{ ...evaluation.samples[0], predicted: 5 }] })).toMatch(/match the number of classes/);
  });

  it("bounds what a worker can make the server store", () => {
    const evaluation = fakeEvaluation();
    const sample = evaluation.samples[0];
    expect(problem({ ...evaluation, samples: Array.from({ length: 17 }, () => sample) })).not.toBeNull();
    expect(problem({ ...evaluation, samples: [{ ...sample, width: 65, height: 1 }] })).not.toBeNull();
    expect(problem({ ...evaluation, samples: [{ ...sample, pixels: "AAAA" }] })).toMatch(/width \* height bytes/);
    expect(problem({ ...evaluation, samples: [{ ...sample, pixels: "not base64!" }] })).toMatch(/base64/);
    expect(problem({ ...evaluation, classNames: Array.from({ length: 101 }, (_, i) => `c${i}`) })).not.toBeNull();
  });
});

describe("epochReportSchema", () => {
  it("carries the learning rate", () => {
    const parsed = epochReportSchema.parse({ trialId: "00000000-0000-4000-8000-000000000000", attempt: 0, epoch: 1, metrics: fakeEpoch(0.5) });
    expect(parsed.metrics.learning_rate).toBe(0.001);
  });
});
