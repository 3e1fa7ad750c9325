// Which sweeps the scheduler plans next. A create, edit, control or trial report marks its own sweep; the periodic
// scan marks only sweeps whose planning inputs changed since this instance last planned them (trial counts per
// state, status, budget, time budget spent), so 1,000 idle-but-active sweeps cost one aggregate query per scan,
// not 1,000 planning passes. Ticks take sweeps from the front in arrival order (a sweep marked again keeps its
// place), a bounded batch at a time, so a big backlog is worked off fairly without holding up claims.
import { and, inArray, sql } from "drizzle-orm";
import type { TrialStateName } from "../../search/trial-state";
import type { Database } from "../db/client";
import { sweeps, trials } from "../db/schema";
import type { SweepRow } from "../sweeps/sweep-store";

export type StateCounts = Record<TrialStateName, number>;

export const emptyCounts = (): StateCounts => ({ waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0, stopped: 0 });

/** What planning decides from: if none of it changed, planning the sweep again would do nothing. */
export function planningFingerprint(sweep: Pick<SweepRow, "status" | "document" | "createdAt">, counts: StateCounts, now = Date.now()): string {
  const { budget } = sweep.document;
  const timeUp = budget.max_minutes !== undefined && now - sweep.createdAt.getTime() >= budget.max_minutes * 60_000;
  const states = Object.keys(counts).sort() as TrialStateName[];
  return JSON.stringify([sweep.status, budget, timeUp, states.map((s) => counts[s])]);
}

/** The sweeps of `ids` that are still active, in the order of `ids`. */
export async function activeSweepsAmong(db: Database, ids: readonly string[]): Promise<SweepRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(sweeps).where(and(inArray(sweeps.id, [...ids]), inArray(sweeps.status, ["queued", "running"])));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Every active (queued or running) sweep with its trial counts per state, in one aggregate. */
export async function activeSweepCounts(db: Database): Promise<{ sweep: SweepRow; counts: StateCounts }[]> {
  const active = await db.select().from(sweeps).where(inArray(sweeps.status, ["queued", "running"]));
  if (active.length === 0) return [];
  const rows = await db
    .select({ sweepId: trials.sweepId, state: trials.state, n: sql<number>`count(*)::int` })
    .from(trials)
    .where(inArray(trials.sweepId, active.map((s) => s.id)))
    .groupBy(trials.sweepId, trials.state);
  const counts = new Map(active.map((s) => [s.id, emptyCounts()]));
  for (const row of rows) counts.get(row.sweepId)![row.state] = Number(row.n);
  return active.map((sweep) => ({ sweep, counts: counts.get(sweep.id)! }));
}

/** Sweeps another instance plans are looked at again after this long: if that instance died, this one takes over. */
const TAKEOVER_RETRY_MS = 10_000;

export class PlanningQueue {
  /** Insertion-ordered: the front is the sweep waiting longest. */
  private readonly dirty = new Set<string>();
  /** The fingerprint each sweep had when this instance last planned it, or until when another instance plans it. */
  private readonly planned = new Map<string, { fingerprint: string; until: number }>();
  private readonly scanned = new Map<string, string>();

  mark(sweepId: string): void {
    this.dirty.add(sweepId);
  }

  get size(): number {
    return this.dirty.size;
  }

  /** Marks the scanned sweeps whose fingerprint differs from the last plan, and forgets sweeps no longer active. */
  noteScan(active: readonly { sweep: SweepRow; counts: StateCounts }[], now = Date.now()): void {
    this.scanned.clear();
    for (const { sweep, counts } of active) this.scanned.set(sweep.id, planningFingerprint(sweep, counts, now));
    for (const id of this.planned.keys()) if (!this.scanned.has(id)) this.planned.delete(id);
    for (const [id, fingerprint] of this.scanned) {
      const last = this.planned.get(id);
      if (!last || last.fingerprint !== fingerprint || now >= last.until) this.mark(id);
    }
  }

  /** Up to `max` sweeps from the front, removed from the queue. */
  take(max: number): string[] {
    const batch: string[] = [];
    for (const id of this.dirty) {
      if (batch.length >= max) break;
      batch.push(id);
    }
    for (const id of batch) this.dirty.delete(id);
    return batch;
  }

  /** Puts sweeps taken but not planned (the tick ran out of time) back at the front, in their order. */
  putBack(sweepIds: readonly string[]): void {
    if (sweepIds.length === 0) return;
    const rest = [...this.dirty];
    this.dirty.clear();
    for (const id of [...sweepIds, ...rest]) this.dirty.add(id);
  }

  /** The plan left the sweep with this fingerprint (null: the sweep is no longer active). */
  recordPlanned(sweepId: string, fingerprint: string | null): void {
    if (fingerprint === null) this.planned.delete(sweepId);
    else this.planned.set(sweepId, { fingerprint, until: Infinity });
  }

  /** Another instance plans the sweep: unless it changes, look again only after TAKEOVER_RETRY_MS. */
  recordElsewhere(sweepId: string, now = Date.now()): void {
    const fingerprint = this.scanned.get(sweepId);
    if (fingerprint !== undefined) this.planned.set(sweepId, { fingerprint, until: now + TAKEOVER_RETRY_MS });
  }
}
