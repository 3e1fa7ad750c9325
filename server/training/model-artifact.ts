// Model <-> artifact: model.json as tfjs writes it (weights in one "weights.bin") plus the raw weight bytes,
// and the inverse for reloading with plain tf.loadLayersModel.
import * as tf from "@tensorflow/tfjs";
import { WEIGHTS_FILE, type ModelArtifact, type ModelMetadata } from "./types";

export async function exportArtifact(model: tf.LayersModel, metadata: ModelMetadata): Promise<ModelArtifact> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error("model.save produced no topology or weights");
  }
  const weightBuffer = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJson: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? "layers-model",
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
  };
  return { modelJson, weights: new Uint8Array(weightBuffer), metadata };
}

/** An in-memory IOHandler for an artifact, for tf.loadLayersModel. */
export function artifactIOHandler(artifact: Pick<ModelArtifact, "modelJson" | "weights">): tf.io.IOHandler {
  const manifest = artifact.modelJson.weightsManifest as tf.io.WeightsManifestConfig;
  const weightSpecs = manifest.flatMap((group) => group.weights);
  const { weights } = artifact;
  // Copy into a tightly sized ArrayBuffer: the Uint8Array may be a view on a larger buffer.
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.io.fromMemory({
    modelTopology: artifact.modelJson.modelTopology as object,
    weightSpecs,
    weightData,
    format: artifact.modelJson.format as string,
    generatedBy: artifact.modelJson.generatedBy as string,
    convertedBy: (artifact.modelJson.convertedBy as string | null) ?? null,
  });
}

export function loadModelFromArtifact(artifact: Pick<ModelArtifact, "modelJson" | "weights">): Promise<tf.LayersModel> {
  return tf.loadLayersModel(artifactIOHandler(artifact));
}
