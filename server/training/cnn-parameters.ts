// The parameters the CNN template understands, with the values it accepts and its defaults, and the rule type and
// the core and dense-block rules the other templates (template-parameters.ts) share.
// Sweep documents are checked against these rules before anything is written.
import type { ParamValue } from "../../search/parameters";
import { OPTIMIZERS, TRAINING_PARAMETERS } from "./training-parameters";

/** `perLayerOf`: the layer count a sweep may expand this parameter over (`per_layer_of`), e.g. filters_1..filters_N. */
export type ParameterRule = { help: string; perLayerOf?: string } & (
  | { type: "int"; min: number; max: number; default: number }
  | { type: "number"; min: number; max: number; exclusiveMin?: boolean; default: number }
  | { type: "enum"; values: readonly string[]; default: string }
  | { type: "bool"; default: boolean }
);

export { OPTIMIZERS };
// gelu and swish are registered activations in tfjs-layers 4.22; leaky_relu is built as a LeakyReLU layer.
export const ACTIVATIONS = ["relu", "leaky_relu", "elu", "tanh", "sigmoid", "selu", "gelu", "swish"] as const;
export const PADDINGS = ["same", "valid"] as const;
export const POOLINGS = ["max", "avg", "none"] as const;
export const HEADS = ["flatten", "global_average"] as const;

/** Learning rate, optimizer, batch size and epochs: every template takes them. */
export const CORE_PARAMETERS: Record<string, ParameterRule> = {
  learning_rate: { type: "number", min: 0, max: 10, exclusiveMin: true, default: 0.001, help: "optimizer step size" },
  optimizer: { type: "enum", values: OPTIMIZERS, default: "adam", help: "training algorithm" },
  batch_size: { type: "int", min: 1, max: 4096, default: 64, help: "images per gradient step" },
  epochs: { type: "int", min: 1, max: 500, default: 3, help: "passes over the training split" },
};

/** Dense blocks (Dense, activation, dropout) and kernel regularisation: the CNN's head and the whole MLP. */
export const DENSE_PARAMETERS: Record<string, ParameterRule> = {
  dense_layers: { type: "int", min: 0, max: 8, default: 1, help: "hidden dense layers before the softmax head" },
  units: { type: "int", min: 1, max: 4096, default: 128, help: "units of each hidden dense layer", perLayerOf: "dense_layers" },
  activation: { type: "enum", values: ACTIVATIONS, default: "relu", help: "hidden-layer activation" },
  dropout: { type: "number", min: 0, max: 0.95, default: 0, help: "dropout after each hidden dense layer", perLayerOf: "dense_layers" },
  l1: { type: "number", min: 0, max: 1, default: 0, help: "L1 penalty on the hidden layers' kernels" },
  l2: { type: "number", min: 0, max: 1, default: 0, help: "L2 penalty on the hidden layers' kernels" },
};

export const CNN_PARAMETERS: Record<string, ParameterRule> = {
  ...CORE_PARAMETERS,
  conv_layers: { type: "int", min: 1, max: 6, default: 2, help: "conv blocks (conv, [batch norm], activation, pooling, [dropout])" },
  filters: { type: "int", min: 1, max: 512, default: 32, help: "filters of the first conv block, doubled per block (or per layer)", perLayerOf: "conv_layers" },
  kernel_size: { type: "int", min: 1, max: 9, default: 3, help: "square conv kernel size", perLayerOf: "conv_layers" },
  strides: { type: "int", min: 1, max: 4, default: 1, help: "conv strides" },
  padding: { type: "enum", values: PADDINGS, default: "same", help: "conv padding" },
  batch_norm: { type: "bool", default: false, help: "batch normalisation between each conv and its activation" },
  pooling: { type: "enum", values: POOLINGS, default: "max", help: "2x2 pooling after each conv block" },
  conv_dropout: { type: "number", min: 0, max: 0.95, default: 0, help: "dropout after each conv block" },
  head: { type: "enum", values: HEADS, default: "flatten", help: "flatten, or global average pooling, before the dense blocks" },
  ...DENSE_PARAMETERS,
  // Optimizer settings, learning-rate schedule, loss and class weights: the same for every template.
  ...TRAINING_PARAMETERS,
};

/** Returns a problem with one value, or null when the rule accepts it. */
export function checkRule(rule: ParameterRule, value: ParamValue): string | null {
  if (rule.type === "bool") return typeof value === "boolean" ? null : `must be true or false (got ${JSON.stringify(value)})`;
  if (rule.type === "enum") {
    return typeof value === "string" && rule.values.includes(value)
      ? null
      : `must be one of ${rule.values.join(", ")} (got ${JSON.stringify(value)})`;
  }
  if (typeof value !== "number") return `must be a number (got ${JSON.stringify(value)})`;
  if (rule.type === "int" && !Number.isInteger(value)) return `must be an integer (got ${value})`;
  const tooLow = rule.type === "number" && rule.exclusiveMin ? value <= rule.min : value < rule.min;
  if (tooLow || value > rule.max) {
    const low = rule.type === "number" && rule.exclusiveMin ? `> ${rule.min}` : `>= ${rule.min}`;
    return `must be ${low} and <= ${rule.max} (got ${value})`;
  }
  return null;
}

/** Fills defaults for parameters the sweep leaves out. */
export function withDefaults(params: Record<string, ParamValue>): Record<string, ParamValue> {
  const full: Record<string, ParamValue> = {};
  for (const [name, rule] of Object.entries(CNN_PARAMETERS)) full[name] = params[name] ?? rule.default;
  return full;
}
