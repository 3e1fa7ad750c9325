// Opens the database: embedded PGlite by default, a PostgreSQL server when a URL is given.
// Both get the same drizzle schema and the same migrations, applied at open.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Database;
  /** Where trial claims and lease renewals run. On PostgreSQL a small pool of its own, so a heartbeat never waits
   *  for a connection behind dashboard reads and planning; on PGlite (one connection) the same database. */
  leases: Database;
  kind: DatabaseKind;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

export interface OpenDatabaseOptions {
  /** postgres://… — use that server. */
  url?: string;
  /** PGlite data directory; in memory when absent. Ignored when `url` is given. */
  dataDir?: string;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const client = postgres(options.url, { max: 10, onnotice: () => {} });
    // Claims and lease renewals only: both may be lost in a database crash at no cost but a re-run (a lease is
    // renewed again within seconds), so their commits do not wait for the WAL flush (the disk's fsync, milliseconds).
    const leaseClient = postgres(options.url, { max: 2, onnotice: () => {}, connection: { synchronous_commit: "off" } });
    const db = drizzlePostgres({ client, schema });
    await migratePostgres(db, { migrationsFolder });
    const leases = drizzlePostgres({ client: leaseClient, schema }) as unknown as Database;
    const close = async () => void (await Promise.all([client.end({ timeout: 5 }), leaseClient.end({ timeout: 5 })]));
    return { db: db as unknown as Database, leases, kind: "postgres", close };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir);
  // Claims and lease renewals skip the yield (below): they join PGlite's queue ahead of the queries still yielding,
  // so on its one connection they never wait behind a batch of planning or dashboard queries.
  const leases = drizzlePglite({ client: unyieldingView(client), schema }) as unknown as Database;
  yieldBeforeEachQuery(client);
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder });
  return { db: db as unknown as Database, leases, kind: "pglite", close: () => client.close() };
}

type QueryMethods = Record<"query" | "exec" | "transaction", (...args: unknown[]) => Promise<unknown>>;
const QUERY_METHODS = ["query", "exec", "transaction"] as const;

/** The client's query methods as they are now (drizzle calls no others), bound to it. */
function unyieldingView(client: PGlite): PGlite {
  const methods = client as unknown as QueryMethods;
  return Object.fromEntries(QUERY_METHODS.map((name) => [name, methods[name].bind(client)])) as unknown as PGlite;
}

/** PGlite answers in this thread and resolves with promises alone, so a chain of queries (a planning batch, creates
 *  in flight) never lets the event loop reach its timers and sockets: heartbeats, worker reports and /api/health
 *  waited seconds behind 1,000 sweeps' planning. Each query (or transaction) first yields one turn of the loop, so
 *  I/O is served between any two of them. Queries inside a transaction run on without yielding. */
function yieldBeforeEachQuery(client: PGlite): void {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const methods = client as unknown as QueryMethods;
  for (const name of QUERY_METHODS) {
    const original = methods[name].bind(client);
    methods[name] = async (...args) => {
      await turn();
      return original(...args);
    };
  }
}

