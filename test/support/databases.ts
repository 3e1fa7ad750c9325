// Throwaway databases for tests: an in-memory PGlite, or a fresh database on the real PostgreSQL server
// (created and dropped per test file). In CI the PostgreSQL tests are required, never skipped.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle, type DatabaseKind } from "../../server/db/client";

export const ADMIN_URL = process.env.SWEEPBOARD_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const required = process.env.CI === "true" || process.env.SWEEPBOARD_REQUIRE_PG === "1";

async function probePostgres(): Promise<boolean> {
  const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    if (required) throw new Error(`PostgreSQL at ${ADMIN_URL} is required in CI: ${(error as Error).message}`);
    console.warn(`PostgreSQL at ${ADMIN_URL} unreachable: its tests are skipped (set CI=true to require them)`);
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export const postgresAvailable = await probePostgres();

/** The kinds to run a `describe.each` over. */
export const DATABASE_KINDS: DatabaseKind[] = postgresAvailable ? ["pglite", "postgres"] : ["pglite"];

export interface TestDatabase {
  handle: DatabaseHandle;
  /** postgres:// URL of the throwaway database (postgres kind only). */
  url?: string;
  /** Closes the handle and removes the database. */
  drop(): Promise<void>;
  /** Removes the database only (when the handle was closed early and someone else used the URL). */
  dropDatabase(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const handle = await openDatabase({});
    return { handle, drop: () => handle.close(), dropDatabase: async () => {} };
  }
  const name = `sweepboard_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const handle = await openDatabase({ url });
  const dropDatabase = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 2 });
  };
  return {
    handle,
    url,
    dropDatabase,
    async drop() {
      await handle.close();
      await dropDatabase();
    },
  };
}
