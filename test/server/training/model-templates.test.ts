// The CNN and MLP templates build the layer stacks and shapes their parameters describe (no training here).
import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Params } from "../../../search/parameters";
import { cnnConfigFromParams, featureMapSizes, referenceCnnParams } from "../../../server/training/cnn-model";
import { withRegularization } from "../../../server/training/layer-blocks";
import { loadModelFromArtifact, exportArtifact } from "../../../server/training/model-artifact";
import { modelBuilderFor } from "../../../server/training/model-templates";
import type { ModelMetadata, TemplateName } from "../../../server/training/types";

const IMAGES = { inputShape: [28, 28, 1], numClasses: 10 };
const built: tf.LayersModel[] = [];

function build(template: TemplateName, params: Params, shape = IMAGES): tf.Sequential {
  const model = modelBuilderFor(template)(params, 1, shape);
  built.push(model);
  return model;
}

/** "Conv2D:26x26x32" per layer: class name and output shape without the batch dimension. */
const stack = (model: tf.LayersModel) =>
  model.layers.map((layer) => `${layer.getClassName()}:${(layer.outputShape as number[]).slice(1).join("x")}`);

const config = (layer: tf.layers.Layer) => layer.getConfig() as Record<string, unknown>;
const activationOf = (layer: tf.layers.Layer) => config(layer).activation;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

afterEach(() => {
  for (const model of built.splice(0)) model.dispose();
});

describe("cnn template", () => {
  it("builds the same stack as before from the defaults: same padding, 2x2 max pool, filters doubling", () => {
    const model = build("cnn", {});
    expect(stack(model)).toEqual([
      "Conv2D:28x28x32",
      "MaxPooling2D:14x14x32",
      "Conv2D:14x14x64",
      "MaxPooling2D:7x7x64",
      "Flatten:3136",
      "Dense:128",
      "Dense:10",
    ]);
    expect(model.layers.slice(0, 6).map(activationOf)).toEqual(["relu", undefined, "relu", undefined, undefined, "relu"]);
    expect(activationOf(model.layers[6])).toBe("softmax");
    expect(config(model.layers[0]).kernelRegularizer).toBeNull();
  });

  it("expresses the benchmarks' reference CNN (valid padding, 1600 flattened features, 225,034 weights)", () => {
    const model = build("cnn", referenceCnnParams());
    expect(stack(model)).toEqual([
      "Conv2D:26x26x32",
      "MaxPooling2D:13x13x32",
      "Conv2D:11x11x64",
      "MaxPooling2D:5x5x64",
      "Flatten:1600",
      "Dense:128",
      "Dense:10",
    ]);
    expect(model.countParams()).toBe(225_034);
  });

  it("applies strides, average pooling, no pooling and conv dropout", () => {
    expect(stack(build("cnn", { strides: 2, pooling: "avg", conv_layers: 1 }))).toEqual(["Conv2D:14x14x32", "AveragePooling2D:7x7x32", "Flatten:1568", "Dense:128", "Dense:10"]);
    expect(stack(build("cnn", { pooling: "none", padding: "valid", kernel_size: 5, conv_dropout: 0.25, dense_layers: 0 }))).toEqual([
      "Conv2D:24x24x32",
      "Dropout:24x24x32",
      "Conv2D:20x20x64",
      "Dropout:20x20x64",
      "Flatten:25600",
      "Dense:10",
    ]);
  });

  it("puts batch norm between a bias-free conv and its activation, and builds leaky ReLU as a layer", () => {
    const model = build("cnn", { conv_layers: 1, batch_norm: true, activation: "leaky_relu" });
    expect(stack(model)).toEqual(["Conv2D:28x28x32", "BatchNormalization:28x28x32", "LeakyReLU:28x28x32", "MaxPooling2D:14x14x32", "Flatten:6272", "Dense:128", "LeakyReLU:128", "Dense:10"]);
    expect(config(model.layers[0])).toMatchObject({ activation: "linear", useBias: false });
    expect(config(model.layers[5])).toMatchObject({ activation: "linear", useBias: true });
    const noLeak = build("cnn", { conv_layers: 1, batch_norm: true, activation: "gelu" });
    expect(stack(noLeak).slice(0, 3)).toEqual(["Conv2D:28x28x32", "BatchNormalization:28x28x32", "Activation:28x28x32"]);
    expect(activationOf(noLeak.layers[2])).toBe("gelu");
    expect(activationOf(noLeak.layers[5])).toBe("gelu"); // the dense block, without batch norm, fuses it
  });

  it("ends the conv blocks with global average pooling when head is global_average", () => {
    const model = build("cnn", { head: "global_average", filters: 16, conv_layers: 3 });
    expect(stack(model).slice(5)).toEqual(["MaxPooling2D:3x3x64", "GlobalAveragePooling2D:64", "Dense:128", "Dense:10"]);
  });

  it("takes filters and kernel sizes per conv layer, and units and dropout per dense layer", () => {
    const params = { conv_layers: 3, filters_1: 8, filters_2: 8, filters_3: 24, kernel_size_3: 5, dense_layers: 2, units_1: 64, units_2: 16, dropout_2: 0.5 };
    const model = build("cnn", params);
    expect(stack(model)).toEqual([
      "Conv2D:28x28x8",
      "MaxPooling2D:14x14x8",
      "Conv2D:14x14x8",
      "MaxPooling2D:7x7x8",
      "Conv2D:7x7x24",
      "MaxPooling2D:3x3x24",
      "Flatten:216",
      "Dense:64",
      "Dense:16",
      "Dropout:16",
      "Dense:10",
    ]);
    expect(config(model.layers[4]).kernelSize).toEqual([5, 5]);
    expect(config(model.layers[0]).kernelSize).toEqual([3, 3]);
    // A single units value is used by every dense layer; per-layer values beyond dense_layers are ignored.
    expect(stack(build("cnn", { dense_layers: 2, units: 32, units_3: 999 })).slice(-3)).toEqual(["Dense:32", "Dense:32", "Dense:10"]);
  });

  it("refuses combinations that shrink the feature map to nothing, naming what to change", () => {
    expect(() => build("cnn", { conv_layers: 5 })).toThrow(/conv block 5 of 5: the 1x1 feature map is too small for 2x2 pooling/);
    expect(() => featureMapSizes(cnnConfigFromParams({ conv_layers: 3, padding: "valid", kernel_size: 9 }), [28, 28])).toThrow(/conv block 3 of 3: a 9x9 kernel with padding valid leaves no feature map/);
    expect(featureMapSizes(cnnConfigFromParams({ conv_layers: 6, pooling: "none", strides: 2 }), [28, 28]).map(([h]) => h)).toEqual([14, 7, 4, 2, 1, 1]);
  });

  it("adds L1/L2 kernel penalties to the hidden layers only, and to the training loss", () => {
    const model = build("cnn", { conv_layers: 1, l1: 0.001, l2: 0.01 });
    const regularized = model.layers.map((layer) => config(layer).kernelRegularizer != null);
    expect(regularized).toEqual([true, false, false, true, false]);
    const expected = tf.tidy(() => {
      const kernels = [model.layers[0], model.layers[3]].map((layer) => layer.getWeights()[0]);
      return kernels.reduce((sum, w) => sum + 0.001 * tf.sum(tf.abs(w)).dataSync()[0] + 0.01 * tf.sum(tf.square(w)).dataSync()[0], 0);
    });
    const total = tf.tidy(() => withRegularization(model, tf.scalar(1)).dataSync()[0]);
    expect(total).toBeCloseTo(1 + expected, 4);
    const plain = build("cnn", {});
    const loss = tf.scalar(1);
    expect(withRegularization(plain, loss)).toBe(loss);
    loss.dispose();
  });
});

describe("mlp template", () => {
  it("flattens images, then dense blocks and the softmax head", () => {
    expect(stack(build("mlp", {}))).toEqual(["InputLayer:28x28x1", "Flatten:784", "Dense:128", "Dense:10"]);
    const model = build("mlp", { dense_layers: 3, units_1: 256, units_2: 64, units_3: 32, batch_norm: true, activation: "swish", dropout: 0.2 });
    expect(stack(model)).toEqual([
      "InputLayer:28x28x1",
      "Flatten:784",
      ...[256, 64, 32].flatMap((n) => [`Dense:${n}`, `BatchNormalization:${n}`, `Activation:${n}`, `Dropout:${n}`]),
      "Dense:10",
    ]);
    expect(activationOf(model.layers[4])).toBe("swish");
  });

  it("takes tabular features directly, and can be a plain softmax regression", () => {
    const tabular = { inputShape: [4], numClasses: 3 };
    // An explicit input layer (Keras 3's `keras.Input`): the first layer may be any block, or the head.
    expect(stack(build("mlp", { units: 16, l2: 0.001 }, tabular))).toEqual(["InputLayer:4", "Dense:16", "Dense:3"]);
    expect(stack(build("mlp", { dense_layers: 0 }, tabular))).toEqual(["InputLayer:4", "Dense:3"]);
  });
});

describe("model templates", () => {
  it("rejects an unknown template and a CNN on tabular input", () => {
    expect(() => modelBuilderFor("rnn")).toThrow("unknown model template 'rnn'");
    expect(() => build("cnn", {}, { inputShape: [4], numClasses: 3 })).toThrow(/needs images/);
  });

  it("seeds weights from the trial seed: same seed, same weights", () => {
    const weights = (model: tf.LayersModel) => Array.from(model.getWeights()[0].dataSync().slice(0, 5));
    expect(weights(build("mlp", { units: 8 }))).toEqual(weights(build("mlp", { units: 8 })));
    expect(weights(build("cnn", { batch_norm: true }))).toEqual(weights(build("cnn", { batch_norm: true })));
  });

  it("saves and reloads every new layer kind with plain tf.loadLayersModel", async () => {
    const model = build("cnn", { conv_layers: 2, batch_norm: true, activation: "leaky_relu", pooling: "avg", head: "global_average", l2: 0.01, dense_layers: 2, dropout: 0.1 });
    const artifact = await exportArtifact(model, {} as ModelMetadata);
    const reloaded = await loadModelFromArtifact(artifact);
    built.push(reloaded);
    expect(stack(reloaded)).toEqual(stack(model));
    const input = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 3);
    const [a, b] = [model, reloaded].map((m) => (m.predict(input) as tf.Tensor).dataSync());
    input.dispose();
    expect(Array.from(b)).toEqual(Array.from(a));
    for (const activation of ["gelu", "swish", "selu"]) {
      const mlp = build("mlp", { activation });
      const copy = await loadModelFromArtifact(await exportArtifact(mlp, {} as ModelMetadata));
      built.push(copy);
      expect(activationOf(copy.layers[2])).toBe(activation);
    }
  });
});
