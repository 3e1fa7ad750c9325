// tf.layers.conv2d whose training call runs TF.js's unfused composition (tf.conv2d, + bias, activation) wherever
// tfjs-layers would run tf.fused.conv2d with a linear activation: the conv before batch norm (no bias) and the
// conv before a separate or non-fusable activation (leaky ReLU, tanh, sigmoid, selu, gelu, swish: bias, then the
// activation). In gradient mode TF.js fuses only linear convolutions, and the fused op's gradient (a customGrad)
// computes the input gradient eagerly, even for the model's input image that nothing trains (~8% of a batch-norm
// CNN step). tf.conv2d's gradient is one function per input, and the engine evaluates only those on the path to a
// trained variable. ReLU and ELU convs are already unfused by TF.js in gradient mode and keep the stock call, as do
// inference, channels-first data and everything else. Same serialisation (the stock layer with `call` wrapped).
import * as tf from "@tensorflow/tfjs";
import { withTrainingCall } from "./training-call";

type ConvArgs = Parameters<typeof tf.layers.conv2d>[0];

/** What the stock layer keeps (tfjs-layers' Conv fields, read after build). */
interface ConvInternals {
  kernel?: tf.LayerVariable;
  bias?: tf.LayerVariable;
  activation: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor };
  strides: [number, number];
  padding: string;
  dataFormat: string;
  dilationRate: [number, number];
}

/** Activations tfjs-layers passes to tf.fused.conv2d (which unfuses them itself when differentiating). */
const FUSED_BY_LAYERS = new Set(["relu", "elu"]);

function unfusedCall(layer: ConvInternals, x: tf.Tensor): tf.Tensor | null {
  const activation = layer.activation.getClassName();
  if (!layer.kernel || FUSED_BY_LAYERS.has(activation) || layer.dataFormat !== "channelsLast" || x.rank !== 4) return null;
  if (layer.padding !== "same" && layer.padding !== "valid") return null;
  const padding = layer.padding;
  return tf.tidy(() => {
    const y = tf.conv2d(x as tf.Tensor4D, layer.kernel!.read() as tf.Tensor4D, layer.strides, padding, "NHWC", layer.dilationRate);
    const biased = layer.bias ? tf.add(y, layer.bias.read()) : y;
    return activation === "linear" ? biased : layer.activation.apply(biased);
  });
}

/** A drop-in for tf.layers.conv2d(args). */
export function conv2d(args: ConvArgs): tf.layers.Layer {
  const layer = tf.layers.conv2d(args);
  return withTrainingCall(layer, (x) => unfusedCall(layer as unknown as ConvInternals, x));
}
