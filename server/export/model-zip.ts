// The downloadable model: a TF.js layers model (model.json + weights.bin) and metadata.json, zipped.
import JSZip from "jszip";
import { WEIGHTS_FILE, type ModelMetadata } from "../training/types";

export async function buildModelZip(modelJson: Record<string, unknown>, weights: Uint8Array, metadata: ModelMetadata & Record<string, unknown>): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file("model.json", JSON.stringify(modelJson, null, 2));
  zip.file(WEIGHTS_FILE, weights);
  zip.file("metadata.json", JSON.stringify(metadata, null, 2));
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}
