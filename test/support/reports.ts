// Well-formed worker reports for store and gateway tests.
import type { EpochMetrics, ModelArtifact } from "../../server/training/types";

export function fakeEpoch(valAccuracy: number): EpochMetrics {
  return { loss: 1 - valAccuracy, accuracy: valAccuracy, val_loss: 1 - valAccuracy, val_accuracy: valAccuracy, duration_ms: 10, images_per_sec: 100 };
}

export function fakeArtifact(): ModelArtifact {
  return {
    modelJson: { format: "layers-model", modelTopology: {}, weightsManifest: [{ paths: ["weights.bin"], weights: [] }] },
    weights: new Uint8Array([1, 2, 3, 4]),
    metadata: {
      classNames: ["a", "b"],
      inputShape: [28, 28, 1],
      preprocessing: { scale: 1 / 255, description: "pixels / 255" },
      dataset: { name: "fashion-mnist", subset: 1000, validationSplit: 0.1, testSplit: "official-test", testSubset: 167, seed: 3 },
      params: {},
      metrics: {},
      backend: "wasm",
      createdAt: new Date(0).toISOString(),
    },
  };
}
