// One seeded database per (kind, size): PGlite in the server's home (seeded before the server opens it: PGlite is
// single-process) or a throwaway PostgreSQL database (DATABASE_URL). The sweep is seeded by bench/ui/seed.ts in SQL.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, type Database, type DatabaseKind } from "../../server/db/client";
import { ADMIN_URL } from "../../test/support/databases";
import type { SweepSize } from "./options";
import { seedSweep } from "./seed";

export interface SeededDatabase {
  kind: DatabaseKind;
  /** SWEEPBOARD_HOME for the server (holds PGlite's pgdata). */
  home: string;
  /** Server environment that points it at this database. */
  env: Record<string, string>;
  sweepId: string;
  /** Trial numbers of the waiting trials kept for the stream (the workers claim them), lowest first. */
  streamNumbers: number[];
  /** Epochs each stream trial accepts (its params.epochs). */
  streamEpochs: number;
  seed_ms: number;
  /** Counted back from the database after seeding. */
  stored: { trials: number; epoch_rows: number };
  /** Drops the PostgreSQL database (the server removes its home itself). */
  drop(): Promise<void>;
}

export interface StreamPlan {
  trials: number;
  epochsPerTrial: number;
}

const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];

async function seedInto(db: Database, size: SweepSize, stream: StreamPlan) {
  // Paused: the scheduler leaves it alone while the page is measured (as main's figures were taken, without
  // workers); the stream resumes it, and the waiting trials go to the benchmark's workers.
  const seeded = await seedSweep(db, { trials: size.trials, epochs: size.epochs, waiting: stream.trials, status: "paused", name: `bench-ui-${size.label}` });
  // The stream trials accept more epochs than the seeded ones (their own params.epochs, which the server checks), so a
  // worker streams into one trial all along instead of the stream measuring trial turnover.
  await db.execute(sql`update trials set params = jsonb_set(params, '{epochs}', to_jsonb(${stream.epochsPerTrial}::int))
                       where sweep_id = ${seeded.sweepId}::uuid and state = 'waiting'`);
  // Statistics as autovacuum would have them on a database that has lived with this sweep a while.
  await db.execute(sql`analyze`);
  const [counts] = rowsOf(
    await db.execute(sql`select (select count(*) from trials where sweep_id = ${seeded.sweepId}::uuid)::int as trials,
                                (select count(*) from trial_epochs e join trials t on t.id = e.trial_id where t.sweep_id = ${seeded.sweepId}::uuid)::int as epoch_rows`),
  );
  const waiting = rowsOf(await db.execute(sql`select number from trials where sweep_id = ${seeded.sweepId}::uuid and state = 'waiting' order by number`));
  return { sweepId: seeded.sweepId, stored: { trials: Number(counts.trials), epoch_rows: Number(counts.epoch_rows) }, streamNumbers: waiting.map((r) => Number(r.number)) };
}

export async function prepareDatabase(kind: DatabaseKind, size: SweepSize, stream: StreamPlan): Promise<SeededDatabase> {
  const home = mkdtempSync(join(tmpdir(), "sweepboard-bench-ui-"));
  const started = performance.now();
  if (kind === "pglite") {
    const handle = await openDatabase({ dataDir: join(home, "pgdata") });
    try {
      const seeded = await seedInto(handle.db, size, stream);
      return { kind, home, env: {}, ...seeded, streamEpochs: stream.epochsPerTrial, seed_ms: Math.round(performance.now() - started), drop: async () => rmSync(home, { recursive: true, force: true }) };
    } finally {
      await handle.close();
    }
  }
  const name = `sweepboard_bench_ui_${randomBytes(6).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const drop = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`).catch((e: Error) => console.error(`could not drop ${name}: ${e.message}`));
    await admin.end({ timeout: 2 });
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const handle = await openDatabase({ url });
    try {
      const seeded = await seedInto(handle.db, size, stream);
      return { kind, home, env: { DATABASE_URL: url }, ...seeded, streamEpochs: stream.epochsPerTrial, seed_ms: Math.round(performance.now() - started), drop };
    } finally {
      await handle.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
}
