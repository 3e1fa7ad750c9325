// The `tensorflow` backend: libtensorflow through @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node (CPU),
// when the user has installed one. Their install downloads libtensorflow, so they are never our dependency; see the
// README ("Training engines") for how a GPU box gets them.
import * as tf from "@tensorflow/tfjs";
import { importOptional, isInstalled } from "./optional-module";

export const TENSORFLOW_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/** Loads the first installed package (it registers the 'tensorflow' backend) and activates it; returns its name. */
export async function startTensorflow(): Promise<string> {
  const installed = TENSORFLOW_PACKAGES.find(isInstalled);
  if (!installed) throw new Error(`neither ${TENSORFLOW_PACKAGES.join(" nor ")} is installed`);
  await importOptional(installed);
  if (!(await tf.setBackend("tensorflow"))) throw new Error(`${installed} loaded but the 'tensorflow' backend did not start`);
  await tf.ready();
  return installed;
}
