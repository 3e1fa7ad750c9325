// Which artifact store a server uses, and its size limit. PGlite keeps its data on this machine, so blobs go to
// files beside it; with DATABASE_URL several instances may share the database, so blobs go into it too.
import { join } from "node:path";
import type { DatabaseHandle } from "../db/client";
import type { ArtifactStore } from "./artifact-store";
import { DatabaseArtifactStore } from "./database-store";
import { DiskArtifactStore } from "./disk-store";
import { migrateLegacyWeights } from "./legacy-weights";

const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/** Opens the store for this database and moves any weights still stored in `trial_artifacts` rows into it. */
export async function openArtifactStore(database: DatabaseHandle, home: string, log: (message: string) => void = () => {}): Promise<ArtifactStore> {
  let store: ArtifactStore;
  if (database.kind === "postgres") {
    const inDatabase = new DatabaseArtifactStore(database.db);
    await inDatabase.sweepAbandoned();
    store = inDatabase;
  } else {
    store = await DiskArtifactStore.open(join(home, "artifacts"));
  }
  const moved = await migrateLegacyWeights(database.db, store);
  if (moved > 0) log(`artifacts: moved the weights of ${moved} stored model(s) into the artifact store`);
  return store;
}

/** SWEEPBOARD_MAX_ARTIFACT_BYTES: the largest artifact a worker may upload (default 2 GiB). */
export function maxArtifactBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SWEEPBOARD_MAX_ARTIFACT_BYTES;
  if (raw === undefined || raw === "") return DEFAULT_MAX_BYTES;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`SWEEPBOARD_MAX_ARTIFACT_BYTES must be a positive whole number of bytes, not ${JSON.stringify(raw)}`);
  return value;
}
