// The pattern of our batch-norm, conv and dropout layers: the stock tfjs-layers object (so it serialises and infers
// as the standard layer) whose training-mode call on one input tensor runs our faster path when that path applies.
import type * as tf from "@tensorflow/tfjs";

/** Replaces `layer.call` for training calls on a single tensor: `training` returns the output, or null to leave the
 *  call to the stock layer (other backends, cases the fast path does not cover). */
export function withTrainingCall<L extends tf.layers.Layer>(layer: L, training: (x: tf.Tensor) => tf.Tensor | null): L {
  const stockCall = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const x = Array.isArray(inputs) ? inputs : [inputs];
    const fast = kwargs.training === true && x.length === 1 ? training(x[0]) : null;
    return fast ?? stockCall(inputs, kwargs);
  };
  return layer;
}
