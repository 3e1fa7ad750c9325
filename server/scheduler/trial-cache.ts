// The scheduler's per-sweep copy of the trials its sampler and pruner read, so that planning and pruning do not
// reload every trial and epoch of the sweep from the database each time. The scheduler applies the rows its own
// writes return. Before each use the copy is checked against a per-state tally of the stored rows (one small
// aggregate); when they differ (a write whose row is not applied yet, another server instance, a write made
// outside the scheduler) or a row could not be applied, the stored version of every trial is compared and the
// trials that differ are reloaded. A restarted scheduler starts empty and loads the sweep once.
import { canTransition, isFinished, type TrialStateName } from "../../search/trial-state";
import type { FrozenTrial } from "../../search/types";
import type { Database } from "../db/client";
import { emptyTally, loadStoredTrials, loadTrialVersions, storedTrialOf, tallyTrials, type StoredTrial, type TrialTally } from "./study-view";
import type { TrialRow } from "./trial-store";

interface SweepTrials {
  metric: string;
  /** Ordered by trial number. */
  trials: StoredTrial[];
  positionOf: Map<number, number>;
  /** Set when a row could not be applied: the next use compares versions even if the tally agrees. */
  dirty: boolean;
  usedAt: number;
}

type Version = Pick<TrialRow, "state" | "attempt" | "epochs">;

export class TrialCache {
  private readonly sweeps = new Map<string, SweepTrials>();
  /** Whole-sweep loads and partial refreshes so far (tests and benchmarks watch them). */
  reloads = 0;
  refreshes = 0;

  constructor(private readonly db: Database) {}

  /** The sweep's trials as stored now. Pass the tally when the caller has just taken it. */
  async frozenTrials(sweepId: string, metric: string, tally?: TrialTally): Promise<FrozenTrial[]> {
    const stored = tally ?? (await tallyTrials(this.db, sweepId));
    let entry = this.sweeps.get(sweepId);
    if (!entry || entry.metric !== metric) entry = await this.load(sweepId, metric);
    else if (entry.dirty || !sameTally(tallyOf(entry.trials), stored)) await this.refresh(sweepId, entry);
    entry.usedAt = Date.now();
    return entry.trials.map((t) => t.frozen);
  }

  /** A trial row as one of the scheduler's writes returned it: inserted, claimed, finished, re-queued, or updated
   *  by storing `epoch` (then the row's latest metrics are that epoch's: every report carries every metric). */
  apply(row: TrialRow, epoch?: number): void {
    const entry = this.sweeps.get(row.sweepId);
    if (!entry) return;
    const position = entry.positionOf.get(row.number);
    if (position === undefined) {
      const last = entry.trials.at(-1)?.frozen.number ?? -1;
      const inserted = row.state === "waiting" && row.attempt === 0 && row.epochs === 0 && epoch === undefined;
      if (!inserted || row.number <= last) entry.dirty = true;
      else {
        entry.positionOf.set(row.number, entry.trials.length);
        entry.trials.push(cachedOf(row, {}));
      }
      return;
    }
    const next = successor(entry.trials[position], row, entry.metric, epoch);
    if (next) entry.trials[position] = next;
    else entry.dirty = true;
  }

  /** The caller knows the stored trials changed in a way it cannot apply. */
  invalidate(sweepId: string): void {
    const entry = this.sweeps.get(sweepId);
    if (entry) entry.dirty = true;
  }

  forget(sweepId: string): void {
    this.sweeps.delete(sweepId);
  }

  /** Drops sweeps nobody asked about for a while (finished, stopped, paused for long): they reload if needed. */
  evictIdle(maxIdleMs: number, now = Date.now()): void {
    for (const [id, entry] of this.sweeps) if (now - entry.usedAt > maxIdleMs) this.sweeps.delete(id);
  }

  private async load(sweepId: string, metric: string): Promise<SweepTrials> {
    this.reloads += 1;
    const trials = (await loadStoredTrials(this.db, sweepId, metric)).map(freeze);
    const entry: SweepTrials = { metric, trials, positionOf: positions(trials), dirty: false, usedAt: Date.now() };
    this.sweeps.set(sweepId, entry);
    return entry;
  }

  /** Reloads the trials whose stored version differs from the copy's (few: those written since the last use). */
  private async refresh(sweepId: string, entry: SweepTrials): Promise<void> {
    this.refreshes += 1;
    entry.dirty = false;
    const changed = (await loadTrialVersions(this.db, sweepId)).filter((v) => {
      const position = entry.positionOf.get(v.number);
      return position === undefined || compareVersions(versionOf(entry.trials[position]), v) !== 0;
    });
    if (changed.length === 0) return;
    let added = false;
    for (const trial of await loadStoredTrials(this.db, sweepId, entry.metric, changed.map((v) => v.id))) {
      const position = entry.positionOf.get(trial.frozen.number);
      if (position === undefined) {
        entry.trials.push(freeze(trial));
        added = true;
      } else if (compareVersions(versionOf(trial), versionOf(entry.trials[position])) >= 0) {
        // (A row applied while this was loading may be newer than what was loaded: then the applied one stays.)
        entry.trials[position] = freeze(trial);
      }
    }
    if (added) {
      entry.trials.sort((a, b) => a.frozen.number - b.frozen.number);
      entry.positionOf = positions(entry.trials);
    }
  }
}

/** The cached trial after the change `row` reports, or null when the row is not what that change would give
 *  (something else changed the trial too). A row no newer than the copy (a refresh saw it already) changes nothing. */
function successor(cached: StoredTrial, row: TrialRow, metric: string, epoch?: number): StoredTrial | null {
  if (compareVersions(row, versionOf(cached)) <= 0) return cached;
  const { state, intermediate } = cached.frozen;
  if (row.attempt !== cached.attempt) {
    // A re-queue: the new attempt starts without epochs (only the current attempt's count).
    const requeued = row.attempt === cached.attempt + 1 && state === "running" && row.state === "waiting" && row.epochs === 0 && epoch === undefined;
    return requeued ? cachedOf(row, {}) : null;
  }
  if (epoch === undefined) return row.epochs === cached.epochs && canTransition(state, row.state) ? cachedOf(row, intermediate) : null;
  // The running trial's next epoch (epochs are reported in order); a gap means someone else stored one.
  const value = row.metrics[metric];
  const next = state === "running" && row.state === "running" && row.epochs === epoch && cached.epochs === epoch - 1 && value !== undefined;
  if (!next) return null;
  // Appended in place (a running trial's values are left unfrozen, see freeze): copying them per epoch made a
  // long trial's reporting quadratic.
  (intermediate as Record<number, number>)[epoch] = value;
  return freeze(storedTrialOf(row, intermediate as Record<number, number>));
}

const versionOf = (trial: StoredTrial): Version => ({ state: trial.frozen.state, attempt: trial.attempt, epochs: trial.epochs });

const stateRank = (state: TrialStateName) => (isFinished(state) ? 2 : state === "running" ? 1 : 0);

/** Versions only move forward: a re-queue raises the attempt, a claim or finish the state, an epoch the count. */
function compareVersions(a: Version, b: Version): number {
  return a.attempt - b.attempt || stateRank(a.state) - stateRank(b.state) || a.epochs - b.epochs;
}

function cachedOf(row: TrialRow, intermediate: Readonly<Record<number, number>>): StoredTrial {
  return freeze(storedTrialOf(row, { ...intermediate }));
}

/** Samplers and pruners only read trials; freezing keeps a stray write from corrupting the copy. A running trial's
 *  intermediate values stay open: the cache itself appends its next epochs. */
function freeze(trial: StoredTrial): StoredTrial {
  if (trial.frozen.state !== "running") Object.freeze(trial.frozen.intermediate);
  Object.freeze(trial.frozen);
  return trial;
}

const positions = (trials: readonly StoredTrial[]) => new Map(trials.map((t, i) => [t.frozen.number, i]));

function tallyOf(trials: readonly StoredTrial[]): TrialTally {
  const tally = emptyTally();
  for (const { frozen, attempt, epochs } of trials) {
    const t = tally[frozen.state];
    t.count += 1;
    t.attempts += attempt;
    t.epochs += epochs;
  }
  return tally;
}

function sameTally(a: TrialTally, b: TrialTally): boolean {
  return (Object.keys(a) as TrialStateName[]).every((s) => a[s].count === b[s].count && a[s].attempts === b[s].attempts && a[s].epochs === b[s].epochs);
}
