// Keeps each running sweep at its concurrency until the trial budget is spent, and finishes sweeps. Proposals come
// from the sweep's runtime (sweep-runtime.ts: its sampler over its cached trials). Which sweeps are planned, and
// how many per tick, is the planning queue's (planning-queue.ts): a bounded, fair batch of the sweeps that have
// something to plan, so neither claims nor other sweeps wait behind a pass over every sweep.
import { SearchError } from "../../search/errors";
import type { Study } from "../../search/study/study";
import type { Database } from "../db/client";
import type { Publisher } from "../realtime/publisher";
import type { SweepRow, SweepStore } from "../sweeps/sweep-store";
import { budgetVerdict, type BudgetVerdict } from "./budget";
import { SOLE_PLANNER, type PlanningLocks } from "./planning-locks";
import { activeSweepCounts, activeSweepsAmong, planningFingerprint, PlanningQueue, type StateCounts } from "./planning-queue";
import { tallyTrials } from "./study-view";
import type { SweepRuntimes } from "./sweep-runtime";
import type { TrialRow, TrialStore } from "./trial-store";

export interface PlannerDeps {
  db: Database;
  sweeps: SweepStore;
  trials: TrialStore;
  publisher: Publisher;
  runtimes: SweepRuntimes;
  log?: (message: string) => void;
  /** Which sweeps this instance plans when several share the database; by default, all of them. */
  planningLocks?: PlanningLocks;
  /** How much one tick plans at most: the rest waits for the next tick (default 32 sweeps, 50 ms). */
  planningBatch?: { sweeps: number; ms: number };
  /** Tests interleave a pause or stop with a planning pass here: called after the pass read the sweep (its status)
   *  and before any of its writes. */
  planningHooks?: { afterRead?: (sweep: SweepRow) => Promise<void> };
  /** Counts for tests and benchmarks (shared with the scheduler's). */
  stats: { plans: number; scans: number };
}

/** Sweeps planned at once (overlapping their database round trips, leaving connections free). */
const PLANNING_LANES = 4;

export class Planner {
  private readonly queue = new PlanningQueue();
  private readonly locks: PlanningLocks;

  constructor(private readonly deps: PlannerDeps) {
    this.locks = deps.planningLocks ?? SOLE_PLANNER;
  }

  /** The sweep's planning inputs changed (created, edited, controlled, a trial finished): plan it soon. */
  mark(sweepId: string): void {
    this.queue.mark(sweepId);
  }

  /** Sweeps still queued for planning (the next tick works them off). */
  get backlog(): number {
    return this.queue.size;
  }

  /** Marks every active sweep whose planning inputs changed since this instance last planned it (another
   *  instance's writes, a time budget running out), with one aggregate over the active sweeps. */
  async scan(): Promise<void> {
    const active = await activeSweepCounts(this.deps.db);
    this.deps.stats.scans += 1;
    await this.locks.retainOnly(new Set(active.map((a) => a.sweep.id)));
    this.queue.noteScan(active);
  }

  /** Plans queued sweeps, oldest mark first, until the batch's sweep count or time is used up; a few at once (they
   *  are independent, and one plan is mostly waiting for the database). A sweep whose plan fails is logged and left
   *  to the next scan, so one broken sweep neither stops the others nor spins. */
  async planBatch(): Promise<void> {
    const { sweeps: most, ms } = this.deps.planningBatch ?? { sweeps: 32, ms: 50 };
    const ids = this.queue.take(most);
    if (ids.length === 0) return;
    const deadline = performance.now() + ms;
    const active = new Map((await activeSweepsAmong(this.deps.db, ids)).map((sweep) => [sweep.id, sweep]));
    const late: string[] = [];
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < ids.length; i = next++) {
        if (i > 0 && performance.now() > deadline) late.push(ids[i]);
        else await this.planOne(ids[i], active.get(ids[i]));
      }
    };
    await Promise.all(Array.from({ length: PLANNING_LANES }, lane));
    this.queue.putBack(late);
  }

  private async planOne(id: string, sweep: SweepRow | undefined): Promise<void> {
    try {
      // Sweeps another instance holds are planned there; this one still serves its own workers from them.
      if (!sweep) this.queue.recordPlanned(id, null);
      else if (!(await this.locks.mayPlan(id))) this.queue.recordElsewhere(id);
      else {
        const after = await this.plan(sweep);
        this.queue.recordPlanned(id, after && planningFingerprint({ ...sweep, status: "running" }, after));
      }
    } catch (error) {
      this.deps.log?.(`planning sweep ${id} failed: ${(error as Error).stack ?? error}`);
    }
  }

  /** Tops the sweep up to its concurrency with new waiting trials proposed by its sampler (over the stored trials,
   *  so a restarted server proposes what an uninterrupted one would), or finishes the sweep when the budget or the
   *  search space is spent. Returns the trial counts it left the sweep with; null once the sweep ended or left
   *  "running" meanwhile. Every write is conditional on the status this pass read (sweep-status.ts, and the
   *  inserts' share lock on the sweep row), so a pause or stop landing mid-pass is never overwritten. */
  private async plan(sweep: SweepRow): Promise<StateCounts | null> {
    const { publisher, trials, sweeps, runtimes } = this.deps;
    this.deps.stats.plans += 1;
    const { budget } = sweep.document;
    await this.deps.planningHooks?.afterRead?.(sweep);
    if (sweep.status === "queued") {
      if (!(await sweeps.transition(sweep.id, ["queued"], "running"))) return null;
      await publisher.sweepChanged(sweep.id);
    }
    const tally = await tallyTrials(this.deps.db, sweep.id);
    const counts = Object.fromEntries(Object.entries(tally).map(([state, t]) => [state, t.count])) as StateCounts;
    let created = Object.values(counts).reduce((a, b) => a + b, 0);
    let active = counts.waiting + counts.running;
    let exhausted = false;
    const verdict = await this.budgetOf(sweep);
    if (!verdict.spent && active < budget.concurrency && created < budget.max_trials) {
      const runtime = runtimes.forRow(sweep);
      const frozen = await runtime.trials(tally);
      // Counted again on the trials the study numbers from: with another scheduler inserting, the tally may be older
      // than this copy, and a count from it would propose trials past max_trials under numbers nobody holds yet.
      created = frozen.length;
      active = frozen.filter((t) => t.state === "waiting" || t.state === "running").length;
      const wanted = Math.min(budget.concurrency - active, budget.max_trials - created);
      const proposed = proposeUpTo(runtime.study(frozen), wanted);
      const rows = await trials.insertAllWaiting(sweep.id, proposed.trials, ["running"]);
      // Fewer than proposed, without a conflict: the sweep is no longer running (paused or stopped meanwhile).
      if (rows && rows.length < proposed.trials.length) return null;
      // None inserted: another scheduler on this database took some of the numbers, so this study misses its trials
      // and its proposals could repeat their configurations. The next tick plans it again from a refreshed copy.
      if (!rows) {
        runtime.invalidateTrials();
        this.queue.mark(sweep.id);
      }
      if (rows?.length) this.locks.wakeups?.notify();
      exhausted = rows !== null && proposed.exhausted;
      for (const row of rows ?? []) {
        runtimes.cache.apply(row);
        await publisher.trialChanged(row.id, row);
      }
      created += rows?.length ?? 0;
      active += rows?.length ?? 0;
      counts.waiting += rows?.length ?? 0;
    }
    if ((created >= budget.max_trials || exhausted || verdict.spent) && active === 0) {
      const failure = verdict.spent && verdict.fail ? verdict.reason : counts.complete + counts.pruned === 0 ? `all ${created} trials failed` : null;
      if (!(await sweeps.transition(sweep.id, ["running"], failure ? "failed" : "finished", failure))) return null;
      runtimes.forget(sweep.id);
      await publisher.sweepChanged(sweep.id);
      this.deps.log?.(`sweep ${sweep.name} ${failure ? `failed: ${failure}` : "finished"}${verdict.spent && !verdict.fail ? ` (${verdict.reason})` : ""}`);
      return null;
    }
    return counts;
  }

  /** Time, target and failure limits; each is looked up only when the sweep sets it. */
  private async budgetOf(sweep: SweepRow): Promise<BudgetVerdict> {
    const { budget, metric } = sweep.document;
    return budgetVerdict(sweep.document, {
      createdAt: sweep.createdAt,
      now: new Date(),
      bestValue: budget.target_value === undefined ? null : await this.deps.trials.bestValue(sweep.id, metric.goal),
      recent: budget.max_consecutive_failures === undefined ? [] : await this.deps.trials.recentlyFinished(sweep.id, budget.max_consecutive_failures),
    });
  }
}

/** Up to `count` new trials proposed one after another (each sees the ones before it); `exhausted` when a finite
 *  space has no unused configuration left. */
export function proposeUpTo(study: Study, count: number): { trials: Pick<TrialRow, "number" | "params" | "systemAttrs">[]; exhausted: boolean } {
  const trials: Pick<TrialRow, "number" | "params" | "systemAttrs">[] = [];
  try {
    while (trials.length < count) {
      const frozen = study.ask().frozen();
      trials.push({ number: frozen.number, params: frozen.params, systemAttrs: { ...frozen.systemAttrs } });
    }
  } catch (error) {
    if (error instanceof SearchError && error.code === "space_exhausted") return { trials, exhausted: true };
    throw error;
  }
  return { trials, exhausted: false };
}
