// Well-formed worker reports for store and gateway tests.
import { createHash } from "node:crypto";
import { putBytes, type ArtifactStore } from "../../server/artifacts/artifact-store";
import type { EpochMetrics, ModelArtifact, StoredModelArtifact, TrialEvaluation } from "../../server/training/types";

export function fakeEpoch(valAccuracy: number): EpochMetrics {
  return { loss: 1 - valAccuracy, accuracy: valAccuracy, val_loss: 1 - valAccuracy, val_accuracy: valAccuracy, duration_ms: 10, images_per_sec: 100, learning_rate: 0.001 };
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

/** fakeArtifact as a worker reports it: the weights by reference (see uploadFakeWeights). */
export function fakeArtifactRef(): StoredModelArtifact {
  const { weights, ...rest } = fakeArtifact();
  return { ...rest, weights: { sha256: createHash("sha256").update(weights).digest("hex"), bytes: weights.byteLength } };
}

const uploaded = new WeakMap<ArtifactStore, Promise<void>>();

/** Stores fakeArtifact's weights, as the agent's upload would, so a completion naming them is accepted. Once per
 *  store: the blob is content-addressed, and races of thousands of completions need not upload it each time. */
export async function uploadFakeWeights(store: ArtifactStore): Promise<StoredModelArtifact> {
  if (!uploaded.has(store)) uploaded.set(store, putBytes(store, fakeArtifact().weights).then(() => undefined));
  await uploaded.get(store);
  return fakeArtifactRef();
}

/** A two-class evaluation: 3 of 4 test images right, one 2x2 sample image. */
export function fakeEvaluation(): TrialEvaluation {
  const report = {
    count: 4,
    loss: 0.4,
    accuracy: 0.75,
    macro: { precision: 0.8333333333333333, recall: 0.75, f1: 0.7333333333333334 },
    perClass: [
      { precision: 0.6666666666666666, recall: 1, f1: 0.8, support: 2 },
      { precision: 1, recall: 0.5, f1: 0.6666666666666666, support: 2 },
    ],
    confusion: [
      [2, 0],
      [1, 1],
    ],
  };
  return {
    classNames: ["a", "b"],
    validation: report,
    test: report,
    samples: [{ width: 2, height: 2, pixels: Buffer.from([0, 85, 170, 255]).toString("base64"), label: 1, predicted: 0, confidence: 0.6 }],
  };
}
