// The reference: what the database and the same driver (postgres.js) absorb with nothing else in the way, i.e.
// multi-row INSERT … ON CONFLICT DO NOTHING statements of epoch-shaped rows (uuid, attempt, epoch, 7-metric jsonb)
// into a table like trial_epochs, each statement its own commit, from one connection.
import { randomUUID } from "node:crypto";
import postgres from "postgres";

export async function referenceInsertRate(url: string, options: { seconds: number; rowsPerStatement: number; pointsPerRow: number }): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`create table if not exists bench_reference_epochs (
      trial_id uuid not null, attempt integer not null, epoch integer not null, metrics jsonb not null,
      recorded_at timestamptz not null default now(), primary key (trial_id, attempt, epoch))`;
    const trialIds = Array.from({ length: 16 }, () => randomUUID());
    let epoch = 0;
    let rows = 0;
    const started = performance.now();
    while (performance.now() - started < options.seconds * 1000) {
      epoch += 1;
      const batch = Array.from({ length: options.rowsPerStatement }, (_, i) => {
        const e = epoch * options.rowsPerStatement + i;
        const metrics = Object.fromEntries(Array.from({ length: options.pointsPerRow }, (_, m) => [`m${m}`, 1 / (e + m + 1)]));
        return { trial_id: trialIds[i % trialIds.length], attempt: 0, epoch: e, metrics: sql.json(metrics) };
      });
      await sql`insert into bench_reference_epochs ${sql(batch, "trial_id", "attempt", "epoch", "metrics")} on conflict do nothing`;
      rows += batch.length;
    }
    const seconds = (performance.now() - started) / 1000;
    await sql`drop table bench_reference_epochs`;
    return (rows * options.pointsPerRow) / seconds;
  } finally {
    await sql.end({ timeout: 2 });
  }
}
