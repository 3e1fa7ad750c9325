// A small in-process cache of per-sweep results (curve envelopes, analyses) keyed by the sweep's version, so a
// finished sweep is computed once and a live one at most every `staleMs`. Least recently used sweeps are dropped
// beyond `maxEntries`; concurrent requests for the same version share one computation.
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { trials } from "../db/schema";

interface Entry<T> {
  version: string;
  value: T;
  checkedAt: number;
}

export interface VersionCacheOptions {
  maxEntries?: number;
  /** How long an entry is served without checking the version (a live sweep changes every epoch). */
  staleMs?: number;
  now?: () => number;
}

export class VersionCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly pending = new Map<string, Promise<T>>();
  private readonly maxEntries: number;
  private readonly staleMs: number;
  private readonly now: () => number;

  constructor(options: VersionCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 32;
    this.staleMs = options.staleMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, version: () => Promise<string>, compute: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.checkedAt < this.staleMs) return this.touch(key, entry).value;
    const current = await version();
    const fresh = this.entries.get(key);
    if (fresh && fresh.version === current) {
      fresh.checkedAt = this.now();
      return this.touch(key, fresh).value;
    }
    const id = `${key}\u0000${current}`;
    let running = this.pending.get(id);
    if (!running) {
      running = compute()
        .then((value) => {
          this.touch(key, { version: current, value, checkedAt: this.now() });
          return value;
        })
        .finally(() => this.pending.delete(id));
      this.pending.set(id, running);
    }
    return running;
  }

  /** Re-inserts at the end of the Map's order (most recent), dropping the oldest beyond the bound. */
  private touch(key: string, entry: Entry<T>): Entry<T> {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }
}

/** Changes with every insert, update and delete of the sweep's trials (each write moves a row's change_xid, and an
 *  epoch report updates its trial's row), read from the trial rows alone: milliseconds at 10,000 trials. */
export async function sweepVersion(db: Database, sweepId: string): Promise<string> {
  const [row] = await db
    .select({
      count: sql<number>`count(*)::int`,
      hash: sql<string>`coalesce(sum(hashtext(${trials.id}::text || ${trials.changeXid}::text)::bigint), 0)::text`,
    })
    .from(trials)
    .where(sql`${trials.sweepId} = ${sweepId}`);
  return `${Number(row?.count ?? 0)}:${row?.hash ?? "0"}`;
}
