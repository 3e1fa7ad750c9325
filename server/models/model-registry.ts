// Promoting a complete trial records a versioned model (versions count per model name, like a registry). A trial
// its sweep's stop cut short ranks by its last value and may be promoted too, when it stored a model.
import type { Readable } from "node:stream";
import { desc, eq, max } from "drizzle-orm";
import type { ArtifactStore } from "../artifacts/artifact-store";
import type { Database } from "../db/client";
import { models, sweeps, trialArtifacts, trials } from "../db/schema";
import { AppError } from "../errors";
import { modelZipStream } from "../export/model-zip";
import type { ModelSummary } from "../sweeps/types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID.test(id);

type ModelRow = typeof models.$inferSelect;

export class ModelRegistry {
  constructor(
    private readonly db: Database,
    private readonly artifacts: ArtifactStore,
  ) {}

  /** Idempotent: promoting an already promoted trial returns its model. */
  async promote(trialId: string): Promise<{ modelId: string }> {
    if (!isUuid(trialId)) throw new AppError("not_found", "trial not found");
    return this.db.transaction(async (tx) => {
      const [trial] = await tx
        .select({ id: trials.id, state: trials.state, metrics: trials.metrics, sweepId: trials.sweepId, name: sweeps.name })
        .from(trials)
        .innerJoin(sweeps, eq(sweeps.id, trials.sweepId))
        .where(eq(trials.id, trialId));
      if (!trial) throw new AppError("not_found", "trial not found");
      const [existing] = await tx.select({ id: models.id }).from(models).where(eq(models.trialId, trialId));
      if (existing) return { modelId: existing.id };
      if (trial.state !== "complete" && trial.state !== "stopped") {
        throw new AppError("conflict", `only complete or stopped trials can be promoted (this one is ${trial.state})`);
      }
      const [artifact] = await tx.select({ trialId: trialArtifacts.trialId }).from(trialArtifacts).where(eq(trialArtifacts.trialId, trialId));
      if (!artifact) {
        const why = trial.state === "stopped" ? "it was stopped with its sweep before it stored a model" : "it has no stored model";
        throw new AppError("conflict", `this trial cannot be promoted: ${why}`);
      }
      const [{ latest }] = await tx.select({ latest: max(models.version) }).from(models).where(eq(models.name, trial.name));
      const [model] = await tx
        .insert(models)
        .values({ name: trial.name, version: (latest ?? 0) + 1, sweepId: trial.sweepId, trialId, metrics: trial.metrics })
        .returning({ id: models.id });
      return { modelId: model.id };
    });
  }

  async list(): Promise<ModelSummary[]> {
    const rows = await this.db.select().from(models).orderBy(desc(models.createdAt));
    return rows.map(toModelSummary);
  }

  /** The model's zip, produced as it is read (see model-zip.ts); its length is not known in advance. */
  async download(modelId: string): Promise<{ filename: string; stream: Readable }> {
    if (!isUuid(modelId)) throw new AppError("not_found", "model not found");
    const [row] = await this.db
      // Not the legacy `weights` column: the weights come from the artifact store, streamed.
      .select({ model: models, modelJson: trialArtifacts.modelJson, metadata: trialArtifacts.metadata, sha256: trialArtifacts.weightsSha256, bytes: trialArtifacts.weightsBytes })
      .from(models)
      .innerJoin(trialArtifacts, eq(trialArtifacts.trialId, models.trialId))
      .where(eq(models.id, modelId));
    if (!row) throw new AppError("not_found", "model not found");
    const { model, sha256, bytes } = row;
    const weights = sha256 !== null && bytes !== null ? await this.artifacts.open(sha256) : null;
    if (!weights) throw new AppError("internal", `model ${model.id}: its weights ${sha256 ?? "(not moved yet)"} are missing from the artifact store`);
    const metadata = { ...row.metadata, model: { name: model.name, version: model.version, id: model.id } };
    return { filename: `${slug(model.name)}-v${model.version}.zip`, stream: modelZipStream(row.modelJson, { stream: weights, bytes: bytes! }, metadata) };
  }
}

function toModelSummary(row: ModelRow): ModelSummary {
  return {
    id: row.id,
    sweepId: row.sweepId,
    trialId: row.trialId,
    name: row.name,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    metrics: row.metrics,
  };
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "model";
