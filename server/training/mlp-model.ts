// The "mlp" template: dense blocks (Dense, optional batch norm, activation, dropout) and a softmax head, for
// tabular features; image inputs are flattened first. Weight initialisation is seeded by the trial seed.
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../../search/parameters";
import {
  addDenseBlocks,
  addSoftmaxHead,
  denseStackFromParams,
  regularizationFromParams,
  seededInitializers,
  type DenseStack,
  type ModelShape,
  type Regularization,
} from "./layer-blocks";
import { templateDefaults } from "./template-parameters";
import { trainingConfigFromParams, type TrainingConfig } from "./training-parameters";

export interface MlpConfig extends TrainingConfig {
  dense: DenseStack;
  regularization: Regularization;
}

export function mlpConfigFromParams(params: Params): MlpConfig {
  const p = templateDefaults("mlp", params);
  return {
    ...trainingConfigFromParams(p),
    dense: denseStackFromParams(p, p.batch_norm === true),
    regularization: regularizationFromParams(p),
  };
}

export function buildMlp(config: MlpConfig, trialSeed: number, shape: ModelShape): tf.Sequential {
  const model = tf.sequential({ name: "mlp", layers: [tf.layers.inputLayer({ inputShape: shape.inputShape })] });
  if (shape.inputShape.length > 1) model.add(tf.layers.flatten());
  const nextInitializer = seededInitializers(trialSeed);
  addDenseBlocks(model, config.dense, nextInitializer, config.regularization);
  addSoftmaxHead(model, shape.numClasses, nextInitializer);
  return model;
}
