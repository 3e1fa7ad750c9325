// Applies the sweep snapshot (GET /api/sweeps/:id) and pushed Socket.IO events to the page's state.
// Events and snapshots can arrive out of order (a snapshot read before an event was emitted, a trial summary read
// before its latest epoch was stored), so every merge is monotonic: epochs are keyed by number and never lost,
// a trial's epoch count never goes down, and a finished trial never changes state again.
import { isFinished } from "../../search/trial-state";
import type { EpochRecord, SweepDetail, SweepSummary, TrialState, TrialSummary } from "../../server/sweeps/types";

export type LiveTrial = SweepDetail["trials"][number];

export type SweepEvent =
  | { type: "sweep:updated"; sweep: SweepSummary }
  | { type: "trial:updated"; sweepId: string; trial: TrialSummary }
  | { type: "trial:epoch"; sweepId: string; trialId: string; record: EpochRecord };

export type SweepAction =
  | { type: "snapshot"; detail: SweepDetail }
  | { type: "trial:promoted"; trialId: string; modelId: string }
  | SweepEvent;

export interface SweepState {
  sweepId: string;
  detail: SweepDetail | null;
  /** Events received before the first snapshot, replayed onto it. */
  early: SweepEvent[];
  /** Epochs of trials not known yet (their trial:updated is still on its way). */
  orphanEpochs: Record<string, EpochRecord[]>;
}

export function initialSweepState(sweepId: string): SweepState {
  return { sweepId, detail: null, early: [], orphanEpochs: {} };
}

export function sweepReducer(state: SweepState, action: SweepAction): SweepState {
  if (action.type === "snapshot") return applySnapshot(state, action.detail);
  if (action.type === "trial:promoted") return updateTrial(state, action.trialId, (t) => ({ ...t, modelId: action.modelId }));
  if (eventSweepId(action) !== state.sweepId) return state;
  if (!state.detail) return { ...state, early: [...state.early, action] };
  return applyEvent(state, action);
}

function eventSweepId(event: SweepEvent): string {
  return event.type === "sweep:updated" ? event.sweep.id : event.sweepId;
}

function applyEvent(state: SweepState, event: SweepEvent): SweepState {
  const detail = state.detail as SweepDetail;
  const metric = detail.sweep.metric.name;
  switch (event.type) {
    case "sweep:updated":
      return { ...state, detail: { ...detail, sweep: event.sweep } };
    case "trial:updated": {
      const existing = detail.trials.find((t) => t.id === event.trial.id);
      const orphans = state.orphanEpochs[event.trial.id] ?? [];
      const incoming: LiveTrial = { ...event.trial, history: orphans };
      const merged = mergeTrial(existing, incoming, metric);
      const { [event.trial.id]: _adopted, ...orphanEpochs } = state.orphanEpochs;
      return { ...state, orphanEpochs, detail: { ...detail, trials: upsert(detail.trials, merged) } };
    }
    case "trial:epoch": {
      if (!detail.trials.some((t) => t.id === event.trialId)) {
        const held = state.orphanEpochs[event.trialId] ?? [];
        return { ...state, orphanEpochs: { ...state.orphanEpochs, [event.trialId]: [...held, event.record] } };
      }
      return updateTrial(state, event.trialId, (t) => applyEpoch(t, event.record, metric));
    }
  }
}

function applySnapshot(state: SweepState, snapshot: SweepDetail): SweepState {
  if (snapshot.sweep.id !== state.sweepId) return state;
  const metric = snapshot.sweep.metric.name;
  const known = new Map((state.detail?.trials ?? []).map((t) => [t.id, t]));
  const trials = snapshot.trials.map((t) => mergeTrial(known.get(t.id), t, metric));
  const fromSnapshot = new Set(trials.map((t) => t.id));
  const kept = [...known.values()].filter((t) => !fromSnapshot.has(t.id));
  let next: SweepState = { ...state, early: [], detail: { sweep: snapshot.sweep, trials: sortByNumber([...trials, ...kept]) } };
  for (const event of state.early) next = sweepReducer(next, event);
  return next;
}

/** Combines what the page knows about a trial with a newer-or-older summary of it. */
export function mergeTrial(existing: LiveTrial | undefined, incoming: LiveTrial, metric: string): LiveTrial {
  if (existing && isStale(existing.state, incoming.state)) {
    const history = mergeHistory(existing.history, incoming.history);
    return { ...existing, modelId: existing.modelId ?? incoming.modelId, history };
  }
  const base: LiveTrial = { ...incoming, modelId: incoming.modelId ?? existing?.modelId ?? null, history: [] };
  return mergeHistory(existing?.history ?? [], incoming.history).reduce((t, record) => applyEpoch(t, record, metric), base);
}

/** A finished trial (complete, pruned, failed) never leaves its final state, so a summary giving another state was
 *  read before it finished: e.g. a running summary delivered after the trial:updated that pruned it. */
function isStale(current: TrialState, incoming: TrialState): boolean {
  return isFinished(current) && incoming !== current;
}

/** Stores one epoch (replacing a re-sent one) and, as the server does, makes the latest epoch the trial's value. */
export function applyEpoch(trial: LiveTrial, record: EpochRecord, metric: string): LiveTrial {
  const history = mergeHistory(trial.history, [record]);
  if (record.epoch < trial.epochs) return { ...trial, history };
  const value = record.metrics[metric];
  return {
    ...trial,
    history,
    epochs: record.epoch,
    metrics: { ...trial.metrics, ...record.metrics },
    value: Number.isFinite(value) ? value : trial.value,
  };
}

function mergeHistory(a: EpochRecord[], b: EpochRecord[]): EpochRecord[] {
  const byEpoch = new Map<number, EpochRecord>();
  for (const record of [...a, ...b]) byEpoch.set(record.epoch, record);
  return [...byEpoch.values()].sort((x, y) => x.epoch - y.epoch);
}

function updateTrial(state: SweepState, trialId: string, update: (t: LiveTrial) => LiveTrial): SweepState {
  if (!state.detail) return state;
  const trials = state.detail.trials.map((t) => (t.id === trialId ? update(t) : t));
  return { ...state, detail: { ...state.detail, trials } };
}

function upsert(trials: LiveTrial[], trial: LiveTrial): LiveTrial[] {
  const index = trials.findIndex((t) => t.id === trial.id);
  if (index === -1) return sortByNumber([...trials, trial]);
  return trials.map((t, i) => (i === index ? trial : t));
}

function sortByNumber(trials: LiveTrial[]): LiveTrial[] {
  return [...trials].sort((a, b) => a.number - b.number);
}
