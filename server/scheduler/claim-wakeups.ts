// Tells the other server instances on one PostgreSQL database that trials became claimable (inserted, re-queued),
// so their idle workers claim them at once rather than at their next periodic pass. LISTEN holds a connection of
// its own (postgres.js keeps one dedicated to it and re-listens after a reconnect). A lost notification only
// delays a claim until that periodic pass: correctness never depends on it.
import { randomUUID } from "node:crypto";
import postgres from "postgres";

export interface ClaimWakeups {
  /** Announces claimable trials (coalesced: one NOTIFY per burst of calls in one turn of the event loop). */
  notify(): void;
  /** Calls `listener` when another instance announced claimable trials. */
  onWake(listener: () => void): void;
  close(): Promise<void>;
}

const CHANNEL = "sweepboard_claimable";

export function postgresClaimWakeups(url: string, log: (message: string) => void = () => {}): ClaimWakeups {
  const sql = postgres(url, { max: 1, idle_timeout: 0, onnotice: () => {} });
  // Each instance hears its own NOTIFY too: the payload says who sent it.
  const self = randomUUID();
  const listeners: (() => void)[] = [];
  let queued = false;
  const listening = sql
    .listen(CHANNEL, (sender) => {
      if (sender !== self) for (const listener of listeners) listener();
    })
    .catch((error: Error) => log(`claim wakeups: LISTEN failed: ${error.message}`));
  return {
    notify() {
      if (queued) return;
      queued = true;
      setImmediate(() => {
        queued = false;
        sql.notify(CHANNEL, self).catch((error: Error) => log(`claim wakeups: NOTIFY failed: ${error.message}`));
      });
    },
    onWake(listener) {
      listeners.push(listener);
    },
    async close() {
      listeners.length = 0;
      await listening;
      await sql.end({ timeout: 2 });
    },
  };
}
