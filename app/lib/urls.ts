// Page and API addresses in one place, so pages, components and tests agree.
import type { SweepAction } from "@/server/scheduler/sweep-control";
const enc = encodeURIComponent;

export const sweepPageUrl = (sweepId: string) => `/sweeps/${enc(sweepId)}`;
export const sweepApiUrl = (sweepId: string) => `/api/sweeps/${enc(sweepId)}`;
export const promoteApiUrl = (trialId: string) => `/api/trials/${enc(trialId)}/promote`;
export const trialEvaluationApiUrl = (trialId: string) => `/api/trials/${enc(trialId)}/evaluation`;
export const modelDownloadUrl = (modelId: string) => `/api/models/${enc(modelId)}/download`;
export const analysisApiUrl = (sweepId: string) => `/api/sweeps/${enc(sweepId)}/analysis`;
export const sweepActionUrl = (sweepId: string, action: SweepAction) => `/api/sweeps/${enc(sweepId)}/${action}`;
export const sweepTrialsApiUrl = (sweepId: string, params: URLSearchParams) => `/api/sweeps/${enc(sweepId)}/trials?${params}`;
export const sweepCurvesApiUrl = (sweepId: string, params: URLSearchParams) => `/api/sweeps/${enc(sweepId)}/curves?${params}`;
export const sweepChangesApiUrl = (sweepId: string, params: URLSearchParams) => `/api/sweeps/${enc(sweepId)}/changes?${params}`;
export const sweepSnapshotApiUrl = (sweepId: string, params: URLSearchParams) => `/api/sweeps/${enc(sweepId)}?${params}`;
