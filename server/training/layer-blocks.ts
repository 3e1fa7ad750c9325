// Layer blocks both model templates use: activations (tfjs has leaky ReLU as a layer, not an activation name),
// batch normalisation between a layer and its activation, seeded kernel initialisers, L1/L2 kernel penalties,
// dense blocks and the softmax head.
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../../search/parameters";
import { deriveSeed } from "../datasets/seeded-random";
import { batchNormalization } from "./batch-norm-layer";
import type { ACTIVATIONS } from "./cnn-parameters";
import { dropout } from "./dropout-layer";
import { layerParam } from "./template-parameters";

export type ActivationName = (typeof ACTIVATIONS)[number];
type LayerActivation = Exclude<ActivationName, "leaky_relu">;

export interface Regularization {
  l1: number;
  l2: number;
}

/** Hidden dense layers, one entry per layer. */
export interface DenseStack {
  units: number[];
  dropout: number[];
  activation: ActivationName;
  batchNorm: boolean;
}

/** What the first layer of a model needs to know. */
type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;
type Regularizer = ReturnType<typeof tf.regularizers.l1l2>;

export interface ModelShape {
  inputShape: number[];
  numClasses: number;
}

/** Dense blocks from (defaults-filled) parameters; `units_i` / `dropout_i` override per layer. */
export function denseStackFromParams(p: Params, batchNorm: boolean): DenseStack {
  const layers = Array.from({ length: Number(p.dense_layers) }, (_, i) => i + 1);
  return {
    units: layers.map((layer) => layerParam(p, "units", layer, Number(p.units))),
    dropout: layers.map((layer) => layerParam(p, "dropout", layer, Number(p.dropout))),
    activation: String(p.activation) as ActivationName,
    batchNorm,
  };
}

export const regularizationFromParams = (p: Params): Regularization => ({ l1: Number(p.l1), l2: Number(p.l2) });

/** Glorot-uniform initialisers seeded by the trial seed, one stream per kernel in build order. */
export function seededInitializers(trialSeed: number): () => Initializer {
  let layerIndex = 0;
  return () => tf.initializers.glorotUniform({ seed: deriveSeed(trialSeed, `layer-${layerIndex++}`) });
}

/** None when both penalties are 0, so unregularised models serialise as before. tfjs's l1l2 defaults each
 *  coefficient to 0.01, hence both are always passed. */
export function kernelRegularizer({ l1, l2 }: Regularization): { kernelRegularizer?: Regularizer } {
  return l1 > 0 || l2 > 0 ? { kernelRegularizer: tf.regularizers.l1l2({ l1, l2 }) } : {};
}

/**
 * Adds a weight layer and its activation. Plain activations are fused into the layer (as Keras writes
 * `Dense(…, activation=…)`); with batch norm the order is layer (no bias: BN's beta replaces it) › BN › activation,
 * and leaky ReLU is always its own layer.
 */
export function addActivated(
  model: tf.Sequential,
  activation: ActivationName,
  batchNorm: boolean,
  makeLayer: (fused: { activation?: LayerActivation; useBias: boolean }) => tf.layers.Layer,
): void {
  const fuse = !batchNorm && activation !== "leaky_relu";
  model.add(makeLayer({ ...(fuse ? { activation: activation as LayerActivation } : {}), useBias: !batchNorm }));
  if (batchNorm) model.add(batchNormalization());
  if (activation === "leaky_relu") model.add(tf.layers.leakyReLU());
  else if (!fuse) model.add(tf.layers.activation({ activation }));
}

/** Unseeded on purpose: a seeded tfjs dropout layer draws the same mask at every step. Native when available. */
export function addDropout(model: tf.Sequential, rate: number): void {
  if (rate > 0) model.add(dropout({ rate }));
}

export function addDenseBlocks(
  model: tf.Sequential,
  stack: DenseStack,
  nextInitializer: () => Initializer,
  regularization: Regularization,
): void {
  stack.units.forEach((units, i) => {
    addActivated(model, stack.activation, stack.batchNorm, (fused) =>
      tf.layers.dense({ units, ...fused, kernelInitializer: nextInitializer(), ...kernelRegularizer(regularization) }),
    );
    addDropout(model, stack.dropout[i]);
  });
}

/** The classifier: a softmax over the classes (not regularised, as in most Keras examples). */
export function addSoftmaxHead(model: tf.Sequential, numClasses: number, nextInitializer: () => Initializer): void {
  model.add(tf.layers.dense({ units: numClasses, activation: "softmax", kernelInitializer: nextInitializer() }));
}

/** Keras adds the kernel penalties to the training loss; a custom loop has to do it itself. Call inside the
 *  function given to optimizer.minimize (the penalties are read from the variables being trained). Asked of each
 *  layer: a Sequential's own calculateLosses() is empty (its inner model holds the graph). */
export function withRegularization(model: tf.LayersModel, loss: tf.Scalar): tf.Scalar {
  const penalties = model.layers.flatMap((layer) => layer.calculateLosses());
  return penalties.length ? (tf.addN([loss, ...penalties]) as tf.Scalar) : loss;
}
