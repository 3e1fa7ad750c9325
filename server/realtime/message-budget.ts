// Per-socket caps on each kind of socket message (token buckets), so one peer's burst costs the server a bounded
// amount of work: 10,000 heartbeats in a burst cost at most a bucket's worth of lease writes.
export interface BucketRule {
  /** Messages allowed in a burst. */
  burst: number;
  /** Sustained messages per second. */
  perSecond: number;
}

/** Honest agents send a heartbeat per lease half-period, one idle per finished trial and one report per epoch. */
export const WORKER_MESSAGE_RULES = {
  "trial:heartbeat": { burst: 10, perSecond: 2 },
  "worker:idle": { burst: 10, perSecond: 2 },
  // Epoch reports are also bounded by the ingest's per-worker backpressure (512 unacknowledged); an agent re-sending
  // buffered epochs after a reconnect may burst.
  "trial:epoch": { burst: 2_000, perSecond: 1_000 },
  "trial:complete": { burst: 20, perSecond: 5 },
  "trial:failed": { burst: 20, perSecond: 5 },
} as const satisfies Record<string, BucketRule>;

export type WorkerMessageKind = keyof typeof WORKER_MESSAGE_RULES;

/** A browser subscribes once per sweep page it opens. */
export const BROWSER_MESSAGE_RULES = {
  "sweep:subscribe": { burst: 20, perSecond: 5 },
  "sweep:unsubscribe": { burst: 20, perSecond: 5 },
} as const satisfies Record<string, BucketRule>;

/** A socket that goes on this far over budget is flooding, not bursting: it is disconnected. */
export const FLOOD_DROPS = 1_000;

export interface MessageBudget<K extends string = WorkerMessageKind> {
  /** True when the message may be handled now. */
  take(kind: K): boolean;
  /** Messages refused so far. */
  readonly dropped: number;
}

export function createMessageBudget<K extends string = WorkerMessageKind>(
  rules: Record<K, BucketRule> = WORKER_MESSAGE_RULES as unknown as Record<K, BucketRule>,
  now: () => number = Date.now,
): MessageBudget<K> {
  const buckets = new Map<K, { tokens: number; at: number }>();
  let dropped = 0;
  return {
    take(kind) {
      const rule = rules[kind];
      const t = now();
      const bucket = buckets.get(kind) ?? { tokens: rule.burst, at: t };
      bucket.tokens = Math.min(rule.burst, bucket.tokens + ((t - bucket.at) / 1000) * rule.perSecond);
      bucket.at = t;
      buckets.set(kind, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return true;
      }
      dropped++;
      return false;
    },
    get dropped() {
      return dropped;
    },
  };
}
