// Models stored before the artifact store kept their weights in `trial_artifacts.weights` (bytea). At start, each
// such row is moved into the store, one row at a time and 1 MiB at a time (read with substring, hashed by the
// database), then pointed at its blob and its bytea nulled. Safe to run on several instances at once: puts are
// idempotent and every instance writes the same values.
import { eq, isNotNull, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { trialArtifacts } from "../db/schema";
import type { ArtifactStore } from "./artifact-store";

const SLICE_BYTES = 1 << 20;

/** Returns how many rows were moved. */
export async function migrateLegacyWeights(db: Database, store: ArtifactStore): Promise<number> {
  let moved = 0;
  for (;;) {
    const [row] = await db
      .select({
        trialId: trialArtifacts.trialId,
        sha256: sql<string>`encode(sha256(${trialArtifacts.weights}), 'hex')`,
        bytes: sql<number>`octet_length(${trialArtifacts.weights})`.mapWith(Number),
      })
      .from(trialArtifacts)
      .where(isNotNull(trialArtifacts.weights))
      .limit(1);
    if (!row) return moved;
    try {
      await store.put(slices(db, row.trialId, row.bytes), { sha256: row.sha256, maxBytes: row.bytes });
    } catch (error) {
      if (error instanceof MovedElsewhere) continue;
      throw error;
    }
    await db
      .update(trialArtifacts)
      .set({ weightsSha256: row.sha256, weightsBytes: row.bytes, weights: null })
      .where(eq(trialArtifacts.trialId, row.trialId));
    moved++;
  }
}

async function* slices(db: Database, trialId: string, bytes: number): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < bytes; offset += SLICE_BYTES) {
    const [slice] = await db
      .select({ data: sql<Uint8Array>`substring(${trialArtifacts.weights} from ${offset + 1}::int for ${SLICE_BYTES}::int)` })
      .from(trialArtifacts)
      .where(eq(trialArtifacts.trialId, trialId));
    if (!slice?.data) throw new MovedElsewhere();
    yield slice.data;
  }
}

/** Another instance moved (or a deletion removed) the row while this one was reading it. */
class MovedElsewhere extends Error {}
