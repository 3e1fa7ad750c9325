// The downloadable model: a TF.js layers model (model.json + weights.bin) and metadata.json, zipped as a stream.
// The weights are stored, not deflated (float data does not shrink, and storing keeps the download as fast as the
// read); the JSON files are deflated. Nothing is built up in memory: the zip is produced as the reader pulls it.
import type { Readable } from "node:stream";
import { ZipFile } from "yazl";
import { WEIGHTS_FILE, type ModelMetadata } from "../training/types";

export function modelZipStream(
  modelJson: Record<string, unknown>,
  weights: { stream: Readable; bytes: number },
  metadata: ModelMetadata & Record<string, unknown>,
): Readable {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  const fail = (error: Error) => output.destroy(error);
  // yazl pipes entry streams without forwarding their errors: a failing weights read must fail the download, and
  // the listener must be there before the entry's turn comes (an unheard stream error would crash the process).
  weights.stream.on("error", fail);
  zip.on("error", fail);
  // A reader that hangs up must release the weights' file or database reads.
  output.on("close", () => weights.stream.destroy());
  zip.addBuffer(Buffer.from(JSON.stringify(modelJson, null, 2)), "model.json", { compress: true });
  zip.addReadStreamLazy(WEIGHTS_FILE, { compress: false, size: weights.bytes }, (take) => take(null, weights.stream));
  zip.addBuffer(Buffer.from(JSON.stringify(metadata, null, 2)), "metadata.json", { compress: true });
  zip.end();
  return output;
}
