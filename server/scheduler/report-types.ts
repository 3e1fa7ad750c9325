// What workers report about their trials, as the scheduler receives it, and what they are answered.
import type { EpochMetrics, StoredModelArtifact, TestMetrics, TrialEvaluation } from "../training/types";
import type { ReportResult } from "./epoch-store";

/** Reports carry the attempt they belong to: a lost attempt's late reports are refused. */
export interface EpochReport {
  trialId: string;
  attempt: number;
  epoch: number;
  metrics: EpochMetrics;
}
export interface CompleteReport {
  trialId: string;
  attempt: number;
  testMetrics: TestMetrics;
  /** The weights by reference: uploaded to the artifact store before the report. */
  artifact: StoredModelArtifact;
  stopReason?: string;
  evaluation?: TrialEvaluation;
}
export interface FailedReport {
  trialId: string;
  attempt: number;
  error: string;
  /** "killed": the trainer process died of a signal (OOM killer, kill -9), an infrastructure fault: the trial is
   *  re-queued as its next attempt. Absent (older workers) or "error": training raised, and the trial fails. */
  kind?: "error" | "killed";
}

export type Ack = { ok: true } | { ok: false; error: string };

export function toAck(result: ReportResult): Ack {
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}
