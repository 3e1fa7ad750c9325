// The "cnn" template: conv blocks (Conv2D + 2x2 max pool, filters doubling per block), flatten, optional dropout,
// a dense hidden layer and a 10-way softmax. Weight initialisation is seeded by the trial seed.
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../../search/parameters";
import { deriveSeed } from "../datasets/seeded-random";
import { withDefaults } from "./cnn-parameters";

export type OptimizerName = "adam" | "sgd" | "rmsprop" | "adagrad";
export type ActivationName = "relu" | "elu" | "tanh" | "sigmoid" | "selu";

/** The CNN template's parameters, defaults filled, as the types the builder needs. */
export interface CnnConfig {
  learningRate: number;
  optimizer: OptimizerName;
  batchSize: number;
  epochs: number;
  convLayers: number;
  filters: number;
  kernelSize: number;
  units: number;
  activation: ActivationName;
  dropout: number;
}

export function cnnConfigFromParams(params: Params): CnnConfig {
  const p = withDefaults(params);
  return {
    learningRate: Number(p.learning_rate),
    optimizer: String(p.optimizer) as OptimizerName,
    batchSize: Number(p.batch_size),
    epochs: Number(p.epochs),
    convLayers: Number(p.conv_layers),
    filters: Number(p.filters),
    kernelSize: Number(p.kernel_size),
    units: Number(p.units),
    activation: String(p.activation) as ActivationName,
    dropout: Number(p.dropout),
  };
}

export interface CnnShape {
  inputShape: [number, number, number];
  numClasses: number;
}

export function buildCnn(config: CnnConfig, trialSeed: number, shape: CnnShape): tf.Sequential {
  let layerIndex = 0;
  const kernelInitializer = () => tf.initializers.glorotUniform({ seed: deriveSeed(trialSeed, `layer-${layerIndex++}`) });
  const model = tf.sequential({ name: "cnn" });
  for (let block = 0; block < config.convLayers; block++) {
    model.add(
      tf.layers.conv2d({
        ...(block === 0 ? { inputShape: shape.inputShape } : {}),
        filters: config.filters * 2 ** block,
        kernelSize: config.kernelSize,
        padding: "same",
        activation: config.activation,
        kernelInitializer: kernelInitializer(),
        biasInitializer: "zeros",
      }),
    );
    // Keras' default 'valid' pooling: 28 -> 14 -> 7 -> 3 -> 1 over the template's at most 4 blocks.
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: "valid" }));
  }
  model.add(tf.layers.flatten());
  // Unseeded on purpose: a seeded tfjs dropout draws the same mask at every step.
  if (config.dropout > 0) model.add(tf.layers.dropout({ rate: config.dropout }));
  model.add(tf.layers.dense({ units: config.units, activation: config.activation, kernelInitializer: kernelInitializer() }));
  model.add(tf.layers.dense({ units: shape.numClasses, activation: "softmax", kernelInitializer: kernelInitializer() }));
  return model;
}

export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case "adam":
      return tf.train.adam(learningRate);
    case "sgd":
      return tf.train.sgd(learningRate);
    case "rmsprop":
      // Never centered: tfjs's centered RMSProp produces NaN.
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7, false);
    case "adagrad":
      return tf.train.adagrad(learningRate);
    default:
      throw new Error(`unknown optimizer '${name as string}'`);
  }
}
