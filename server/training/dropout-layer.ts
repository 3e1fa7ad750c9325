// tf.layers.dropout whose training-mode call runs the native dropout kernel (native/dropout-kernel.ts) when this
// process has it. As with batch norm, it is the stock layer object with `call` wrapped: it serialises as the
// standard Dropout config, and inference (the identity) and every case the kernel does not cover (noise shapes,
// other backends) are TF.js's own code.
import * as tf from "@tensorflow/tfjs";
import { withTrainingCall } from "./training-call";
import { nativeDropout, nativeDropoutAvailable } from "./native/dropout-kernel";

type DropoutArgs = Parameters<typeof tf.layers.dropout>[0];

/** A fresh 32-bit seed per call, as TF.js seeds an unseeded dropout (Math.random). A seeded layer keeps its seed:
 *  TF.js then draws the same mask at every call, and so does the kernel. */
const callSeed = (seed: number | undefined) => (seed === undefined ? Math.floor(Math.random() * 2 ** 32) : seed >>> 0);

/** A drop-in for tf.layers.dropout(args). */
export function dropout(args: DropoutArgs): tf.layers.Layer {
  const rate = Math.max(Math.min(args.rate, 1), 0);
  const fast = (x: tf.Tensor) => rate > 0 && rate < 1 && args.noiseShape == null && nativeDropoutAvailable(x);
  return withTrainingCall(tf.layers.dropout(args), (x) => (fast(x) ? tf.tidy(() => nativeDropout(x, rate, callSeed(args.seed))) : null));
}
