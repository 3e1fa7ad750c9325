// Seeds one synthetic sweep of any size in seconds, for the dashboard-scale benchmarks (bench/ui.ts, bench/ui/reads.ts)
// and the sweep-read tests. Everything is generated inside the database (`insert … select … from generate_series`),
// never by a JS loop of inserts, so 10,000 trials × 50 epochs (500k epoch rows) take seconds on PGlite and PostgreSQL.
//
// What it makes, deterministically for a given `seed`:
//  - `trials` trials numbered 1..trials, each with exactly `epochs` epoch rows (attempt 0): trials × epochs rows in all.
//    States are a fixed mix (mostly complete, then pruned, running and failed by number), params a CNN-like space
//    (learning_rate, filters, optimizer, units, and momentum only when optimizer is sgd, so param sorts meet nulls).
//    Each epoch reports val_accuracy, val_loss, accuracy and loss on a noisy saturating curve; a trial's `metrics` and
//    `value` are those of its last epoch (as the server keeps them).
//  - `waiting` more trials after those, state waiting, with no epochs, no metrics and a null value.
import { sql } from "drizzle-orm";
import type { Database } from "../../server/db/client";
import { sweeps } from "../../server/db/schema";
import { parseSweepDocument } from "../../server/sweeps/sweep-document";
import type { SweepStatus } from "../../server/sweeps/types";

export interface SeedOptions {
  /** Trials with epochs (default 10,000). */
  trials?: number;
  /** Epoch rows per such trial (default 50). */
  epochs?: number;
  /** The sweep metric (default val_accuracy; its goal follows the metric: losses are minimised). */
  metric?: "val_accuracy" | "val_loss" | "accuracy" | "loss";
  /** Extra waiting trials without epochs (default 0). */
  waiting?: number;
  /** The sweep's status (default "finished": the scheduler leaves it alone). */
  status?: SweepStatus;
  name?: string;
  /** Seeds the database's random() for the params and curves (default 1). */
  seed?: number;
}

export interface SeededSweep {
  sweepId: string;
  trials: number;
  epochRows: number;
}

/** States by number: n ≡ 7 (mod 50) running, n ≡ 3 (mod 10) pruned, n ≡ 11 (mod 97) failed, the rest complete. */
const STATE_OF_NUMBER = sql.raw(`case when n % 50 = 7 then 'running' when n % 10 = 3 then 'pruned' when n % 97 = 11 then 'failed' else 'complete' end`);

export async function seedSweep(db: Database, options: SeedOptions = {}): Promise<SeededSweep> {
  const { trials: count = 10_000, epochs = 50, metric = "val_accuracy", waiting = 0, status = "finished", seed = 1 } = options;
  const parsed = parseSweepDocument(
    {
      name: options.name ?? `seeded-${count}x${epochs}`,
      dataset: { name: "fashion-mnist", subset: 1000 },
      model: { template: "cnn" },
      method: "random",
      metric: { name: metric },
      parameters: {
        learning_rate: { distribution: "log_uniform_values", min: 0.0001, max: 0.01 },
        filters: { values: [16, 32, 64] },
        optimizer: { values: ["adam", "sgd", "rmsprop"] },
        units: { min: 32, max: 256 },
        momentum: { min: 0, max: 0.99, when: { optimizer: ["sgd"] } },
        epochs: { value: epochs },
      },
      budget: { max_trials: Math.min(10_000, Math.max(1, count + waiting)), concurrency: 4 },
      seed,
    },
    seed,
  );
  for (const [key, value] of Object.entries({ count, epochs, waiting })) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`seedSweep: ${key} must be a non-negative integer`);
  }
  // Validated integers, written into the SQL: typed literals where PostgreSQL cannot infer a parameter's type.
  const [N, E, W] = [count, epochs, waiting].map((v) => sql.raw(String(v)));
  if (!parsed.ok) throw new Error(`seed document invalid: ${JSON.stringify(parsed.errors)}`);
  return db.transaction(async (tx) => {
    const [sweep] = await tx.insert(sweeps).values({ name: parsed.document.name, document: parsed.document, status }).returning({ id: sweeps.id });
    // One connection (the transaction's), so setseed governs every random() below.
    await tx.execute(sql`select setseed(${((seed % 1000) + 0.5) / 1001})`);
    await tx.execute(sql`
      insert into trials (sweep_id, number, state, params, epochs, started_at, finished_at)
      select ${sweep.id}::uuid, n, ${STATE_OF_NUMBER}, p.params, ${E},
             now() - make_interval(secs => ${N} - n + 60),
             case when ${STATE_OF_NUMBER} = 'running' then null else now() - make_interval(secs => ${N} - n) end
      from generate_series(1, ${N}) n,
           lateral (select jsonb_build_object(
               'learning_rate', round(exp(ln(0.0001) + random() * ln(100))::numeric, 6),
               'filters', (array[16, 32, 64])[1 + (n % 3)],
               'optimizer', o.name,
               'units', 32 + floor(random() * 225)::int,
               'epochs', ${E}) || case when o.name = 'sgd' then jsonb_build_object('momentum', round(random()::numeric, 3)) else '{}'::jsonb end
             as params from (select (array['adam', 'sgd', 'rmsprop'])[1 + ((n / 3) % 3)] as name) o) p`);
    // A saturating curve towards a per-trial ceiling (params-dependent plus noise), with per-epoch jitter.
    await tx.execute(sql`
      insert into trial_epochs (trial_id, attempt, epoch, metrics)
      select t.id, 0, e, jsonb_build_object(
          'val_accuracy', acc, 'accuracy', least(1, acc + 0.02),
          'val_loss', round((2.3 * (1 - acc) + 0.05)::numeric, 5)::float8, 'loss', round((2.2 * (1 - acc))::numeric, 5)::float8)
      from trials t,
           lateral (select 0.55 + 0.35 * (1 - abs(ln((t.params->>'learning_rate')::float8 / 0.002)) / 4) + 0.05 * random() as ceiling) c,
           generate_series(1, ${E}) e,
           lateral (select round(greatest(0, least(1, c.ceiling * (1 - exp(-e / 6.0)) + 0.01 * (random() - 0.5)))::numeric, 5)::float8 as acc) a
      where t.sweep_id = ${sweep.id}::uuid`);
    await tx.execute(sql`
      update trials t set metrics = e.metrics, value = (e.metrics->>${metric})::float8
      from trial_epochs e
      where t.sweep_id = ${sweep.id}::uuid and e.trial_id = t.id and e.attempt = 0 and e.epoch = ${E}`);
    if (waiting > 0) {
      await tx.execute(sql`
        insert into trials (sweep_id, number, state, params)
        select ${sweep.id}::uuid, ${N} + n, 'waiting', jsonb_build_object('learning_rate', 0.001, 'filters', 32, 'optimizer', 'adam', 'units', 64, 'epochs', ${E})
        from generate_series(1, ${W}) n`);
    }
    return { sweepId: sweep.id, trials: count + waiting, epochRows: count * epochs };
  });
}
