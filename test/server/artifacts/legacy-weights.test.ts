// Models stored before the artifact store kept their weights in the trial_artifacts row. Opening the store at start
// moves them out (one row, one slice at a time), points the rows at their blobs, and the models still download.
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../server/artifacts/artifact-store";
import { migrateLegacyWeights } from "../../../server/artifacts/legacy-weights";
import { openArtifactStore } from "../../../server/artifacts/open-artifacts";
import { trialArtifacts } from "../../../server/db/schema";
import { ModelRegistry } from "../../../server/models/model-registry";
import { bytesOf, generated, sha256Of, storedZipEntry } from "../../support/artifacts";
import { DATABASE_KINDS } from "../../support/databases";
import { fakeArtifactRef, fakeEpoch } from "../../support/reports";
import { useRunningSweep } from "../../support/running-sweep";

describe.each(DATABASE_KINDS)("legacy weights on %s", (kind) => {
  const sweep = useRunningSweep(kind);
  const home = mkdtempSync(join(tmpdir(), "sweepboard-legacy-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  /** A complete trial whose model is stored the old way: the weights in the row. */
  async function legacyModel(number: number, weights: Buffer): Promise<string> {
    const trial = await sweep.claimed(number, "w1");
    await sweep.store.recordEpoch(trial.id, "w1", 0, 1, fakeEpoch(0.8));
    await sweep.store.complete(trial.id, "w1", 0, { test_loss: 0.4, test_accuracy: 0.7 }, fakeArtifactRef());
    await sweep.database.handle.db
      .update(trialArtifacts)
      .set({ weights: sql`decode(${weights.toString("hex")}, 'hex')`, weightsSha256: null, weightsBytes: null })
      .where(eq(trialArtifacts.trialId, trial.id));
    return trial.id;
  }

  it("moves each row's weights into the store at open, once, and the model downloads as before", async () => {
    const { db } = sweep.database.handle;
    // Over two of the migration's 1 MiB slices, and a second model with the same weights (stored once).
    const big = await bytesOf(generated(2.5 * 2 ** 20, 11));
    const trialIds = [await legacyModel(0, big), await legacyModel(1, big), await legacyModel(2, Buffer.from([9, 8, 7]))];

    const store = await openArtifactStore(sweep.database.handle, home);
    expect(store.kind).toBe(kind === "postgres" ? "database" : "disk");
    const rows = await db.select({ id: trialArtifacts.trialId, weights: trialArtifacts.weights, sha256: trialArtifacts.weightsSha256, bytes: trialArtifacts.weightsBytes }).from(trialArtifacts);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(trialIds.map((id) => byId.get(id))).toEqual([
      { id: trialIds[0], weights: null, sha256: sha256Hex(big), bytes: big.length },
      { id: trialIds[1], weights: null, sha256: sha256Hex(big), bytes: big.length },
      { id: trialIds[2], weights: null, sha256: sha256Hex(Buffer.from([9, 8, 7])), bytes: 3 },
    ]);
    expect(await sha256Of((await store.open(sha256Hex(big)))!)).toBe(sha256Hex(big));
    expect(await migrateLegacyWeights(db, store)).toBe(0);

    const models = new ModelRegistry(db, store);
    const { modelId } = await models.promote(trialIds[0]);
    const { stream } = await models.download(modelId);
    const zipPath = join(home, "model.zip");
    await pipeline(stream, createWriteStream(zipPath));
    expect(await storedZipEntry(zipPath, "weights.bin")).toEqual({ sha256: sha256Hex(big), bytes: big.length });
  });
});
