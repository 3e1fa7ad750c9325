// Runs a measurement once per database kind, recording PostgreSQL as skipped (with the reason) when it is unreachable.
import type { DatabaseKind } from "../../server/db/client";
import { ADMIN_URL, postgresAvailable } from "../../test/support/databases";

export async function perDatabaseKind(kinds: DatabaseKind[], measure: (kind: DatabaseKind) => Promise<unknown>): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const kind of kinds) {
    if (kind === "postgres" && !postgresAvailable) {
      const reason = `PostgreSQL at ${ADMIN_URL} is unreachable: skipped (start it, or set SWEEPBOARD_TEST_PG_URL)`;
      console.error(reason);
      results.postgres = { skipped: reason };
      continue;
    }
    results[kind] = await measure(kind);
  }
  return results;
}
