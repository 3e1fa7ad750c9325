// The "cnn" template: conv blocks (Conv2D, optional batch norm, activation, 2x2 max/avg pooling or none, dropout),
// flatten or global average pooling, dense blocks and a softmax head. Filters double per block unless set per
// layer (filters_1..filters_N). Weight initialisation is seeded by the trial seed.
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../../search/parameters";
import type { HEADS, PADDINGS, POOLINGS } from "./cnn-parameters";
import { conv2d } from "./conv2d-layer";
import {
  addActivated,
  addDenseBlocks,
  addDropout,
  addSoftmaxHead,
  denseStackFromParams,
  kernelRegularizer,
  regularizationFromParams,
  seededInitializers,
  type ActivationName,
  type DenseStack,
  type Regularization,
} from "./layer-blocks";
import { layerParam, templateDefaults } from "./template-parameters";
import { trainingConfigFromParams, type OptimizerName, type TrainingConfig } from "./training-parameters";

// Optimizers live in optimizers.ts; re-exported for callers that still import them from here (bench).
export type { OptimizerName };
export type { ActivationName };
export type Padding = (typeof PADDINGS)[number];
export type Pooling = (typeof POOLINGS)[number];
export type Head = (typeof HEADS)[number];

export interface ConvBlock {
  filters: number;
  kernelSize: number;
}

/** The CNN template's parameters, defaults filled, as the types the builder needs. */
export interface CnnConfig extends TrainingConfig {
  convBlocks: ConvBlock[];
  strides: number;
  padding: Padding;
  batchNorm: boolean;
  pooling: Pooling;
  convDropout: number;
  head: Head;
  activation: ActivationName;
  dense: DenseStack;
  regularization: Regularization;
}

export function cnnConfigFromParams(params: Params): CnnConfig {
  const p = templateDefaults("cnn", params);
  const filters = Number(p.filters);
  const kernelSize = Number(p.kernel_size);
  return {
    ...trainingConfigFromParams(p),
    convBlocks: Array.from({ length: Number(p.conv_layers) }, (_, i) => ({
      filters: layerParam(p, "filters", i + 1, filters * 2 ** i),
      kernelSize: layerParam(p, "kernel_size", i + 1, kernelSize),
    })),
    strides: Number(p.strides),
    padding: String(p.padding) as Padding,
    batchNorm: p.batch_norm === true,
    pooling: String(p.pooling) as Pooling,
    convDropout: Number(p.conv_dropout),
    head: String(p.head) as Head,
    activation: String(p.activation) as ActivationName,
    dense: denseStackFromParams(p, false),
    regularization: regularizationFromParams(p),
  };
}

/** The reference CNN of the benchmarks (Conv32-3 valid › MaxPool › Conv64-3 valid › MaxPool › Flatten ›
 *  Dense128 relu › Dense10 softmax; Adam 1e-3, batch 64) as template parameters. */
export function referenceCnnParams(): Params {
  return { conv_layers: 2, filters: 32, kernel_size: 3, strides: 1, padding: "valid", pooling: "max", head: "flatten", dense_layers: 1, units: 128, activation: "relu", optimizer: "adam", learning_rate: 0.001, batch_size: 64 };
}

export interface CnnShape {
  inputShape: [number, number, number];
  numClasses: number;
}

const convOutput = (size: number, kernel: number, strides: number, padding: Padding) =>
  padding === "same" ? Math.ceil(size / strides) : Math.floor((size - kernel) / strides) + 1;

/** Height and width after each conv block; throws (Keras-like, but naming the parameters to change) when a block
 *  would shrink the feature map to nothing. */
export function featureMapSizes(config: CnnConfig, input: [number, number]): Array<[number, number]> {
  const sizes: Array<[number, number]> = [];
  let [height, width] = input;
  config.convBlocks.forEach((block, i) => {
    const where = `conv block ${i + 1} of ${config.convBlocks.length}`;
    [height, width] = [height, width].map((n) => convOutput(n, block.kernelSize, config.strides, config.padding));
    if (height < 1 || width < 1) {
      throw new Error(`${where}: a ${block.kernelSize}x${block.kernelSize} kernel with padding ${config.padding} leaves no feature map; use padding same, a smaller kernel_size or strides, or fewer conv_layers`);
    }
    if (config.pooling !== "none") {
      if (height < 2 || width < 2) {
        throw new Error(`${where}: the ${height}x${width} feature map is too small for 2x2 pooling; use pooling none, padding same, or fewer conv_layers`);
      }
      [height, width] = [Math.floor(height / 2), Math.floor(width / 2)];
    }
    sizes.push([height, width]);
  });
  return sizes;
}

export function buildCnn(config: CnnConfig, trialSeed: number, shape: CnnShape): tf.Sequential {
  featureMapSizes(config, [shape.inputShape[0], shape.inputShape[1]]);
  const nextInitializer = seededInitializers(trialSeed);
  const model = tf.sequential({ name: "cnn" });
  config.convBlocks.forEach((block, i) => {
    addActivated(model, config.activation, config.batchNorm, (fused) =>
      conv2d({
        ...(i === 0 ? { inputShape: shape.inputShape } : {}),
        filters: block.filters,
        kernelSize: block.kernelSize,
        strides: config.strides,
        padding: config.padding,
        ...fused,
        kernelInitializer: nextInitializer(),
        biasInitializer: "zeros",
        ...kernelRegularizer(config.regularization),
      }),
    );
    // Keras' default 'valid' pooling: 28 -> 14 -> 7 -> 3 -> 1 with same-padded convs.
    if (config.pooling === "max") model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: "valid" }));
    if (config.pooling === "avg") model.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: "valid" }));
    addDropout(model, config.convDropout);
  });
  model.add(config.head === "global_average" ? tf.layers.globalAveragePooling2d({}) : tf.layers.flatten());
  addDenseBlocks(model, config.dense, nextInitializer, config.regularization);
  addSoftmaxHead(model, shape.numClasses, nextInitializer);
  return model;
}
