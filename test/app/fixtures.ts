// Small SweepDetail builders for the app's pure-logic tests.
import type { EpochRecord, SweepDetail, SweepSummary, TrialSummary } from "../../server/sweeps/types";
import type { LiveTrial } from "../../app/lib/sweep-state";
import { EXAMPLE_SWEEP } from "../support/sweeps";

export const SWEEP_ID = "5f0c1d2e-0000-4000-8000-000000000001";

export function sweepSummary(overrides: Partial<SweepSummary> = {}): SweepSummary {
  return {
    id: SWEEP_ID,
    name: "fmnist-quick",
    status: "running",
    method: "random",
    metric: { name: "val_accuracy", goal: "maximize" },
    document: EXAMPLE_SWEEP as unknown as SweepSummary["document"],
    createdAt: "2025-01-01T00:00:00.000Z",
    finishedAt: null,
    error: null,
    trialCounts: { waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 },
    bestValue: null,
    ...overrides,
  };
}

export function trialSummary(number: number, overrides: Partial<TrialSummary> = {}): TrialSummary {
  return {
    id: `trial-${number}`,
    sweepId: SWEEP_ID,
    number,
    state: "waiting",
    params: { learning_rate: 0.001, filters: 32 },
    metrics: {},
    value: null,
    epochs: 0,
    attempt: 0,
    error: null,
    stopReason: null,
    workerName: null,
    startedAt: null,
    finishedAt: null,
    modelId: null,
    ...overrides,
  };
}

export function epoch(n: number, valAccuracy: number, extra: Record<string, number> = {}): EpochRecord {
  return { epoch: n, metrics: { val_accuracy: valAccuracy, val_loss: 1 - valAccuracy, ...extra } };
}

export function liveTrial(number: number, overrides: Partial<TrialSummary> = {}, history: EpochRecord[] = []): LiveTrial {
  return { ...trialSummary(number, overrides), history };
}

export function sweepDetail(trials: LiveTrial[] = [], sweep: Partial<SweepSummary> = {}): SweepDetail {
  return { sweep: sweepSummary(sweep), trials };
}
