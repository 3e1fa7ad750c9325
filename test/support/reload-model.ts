// Run as its own process: `node --import tsx test/support/reload-model.ts model.zip`.
// Loads a downloaded model the way a user would, with plain @tensorflow/tfjs (its default backend) and the
// files in the zip, evaluates it on the exact test images (or CSV rows, standardised with nothing but the metadata's
// means and standard deviations) named in metadata.json, and prints JSON.
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import JSZip from "jszip";
import { loadCsvTestRows } from "../../server/datasets/csv-dataset";
import { loadTestSetFor } from "../../server/datasets/split";
import type { ModelMetadata } from "../../server/training/types";

const zip = await JSZip.loadAsync(readFileSync(process.argv[2]));
const read = async (name: string) => {
  const file = zip.file(name);
  if (!file) throw new Error(`${name} is missing from the zip`);
  return file;
};
const modelJson = JSON.parse(await (await read("model.json")).async("string"));
const metadata = JSON.parse(await (await read("metadata.json")).async("string")) as ModelMetadata;
const weightPaths: string[] = modelJson.weightsManifest.flatMap((group: { paths: string[] }) => group.paths);
const weightParts = await Promise.all(weightPaths.map(async (path) => (await read(path)).async("uint8array")));
const weightData = new Uint8Array(weightParts.reduce((n, p) => n + p.length, 0));
weightParts.reduce((offset, part) => (weightData.set(part, offset), offset + part.length), 0);

const model = await tf.loadLayersModel({
  load: async () => ({
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    weightSpecs: modelJson.weightsManifest.flatMap((group: { weights: tf.io.WeightsManifestEntry[] }) => group.weights),
    weightData: weightData.buffer,
  }),
});

/** The test split named by the metadata, prepared only as metadata.preprocessing says. */
async function testInputs(): Promise<{ inputs: tf.Tensor; labels: Uint8Array; count: Record<string, number> }> {
  const { dataset, preprocessing } = metadata;
  if (dataset.name === "csv" && "featureNames" in preprocessing) {
    const rows = await loadCsvTestRows(dataset, dataset.seed); // as read from the CSV, in the model's feature order
    const { mean, std } = preprocessing;
    const values = Float32Array.from(rows.features, (v, i) => (v - mean[i % rows.width]) / std[i % rows.width]);
    return { inputs: tf.tensor2d(values, [rows.count, preprocessing.featureNames.length]), labels: rows.labels, count: { rows: rows.count } };
  }
  if (!("scale" in preprocessing)) throw new Error("image metadata without a pixel scale");
  const test = await loadTestSetFor(dataset);
  const [h, w, c] = metadata.inputShape;
  const pixels = Float32Array.from(test.images, (v) => v * preprocessing.scale);
  return { inputs: tf.tensor4d(pixels, [test.count, h, w, c]), labels: test.labels, count: { images: test.count } };
}

const test = await testInputs();
const predicted = tf.tidy(() => (model.predict(test.inputs) as tf.Tensor).argMax(-1));
const classes = await predicted.data();
let correct = 0;
for (let i = 0; i < test.labels.length; i++) if (classes[i] === test.labels[i]) correct += 1;
console.log(JSON.stringify({ backend: tf.getBackend(), ...test.count, test_accuracy: correct / test.labels.length, classNames: metadata.classNames }));
