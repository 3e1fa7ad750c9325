// The parameters the CNN template understands, with the values it accepts and its defaults.
// Sweep documents are checked against these rules before anything is written.
import type { ParamValue } from "../../search/parameters";

export type ParameterRule =
  | { type: "int"; min: number; max: number; default: number; help: string }
  | { type: "number"; min: number; max: number; exclusiveMin?: boolean; default: number; help: string }
  | { type: "enum"; values: readonly string[]; default: string; help: string };

export const OPTIMIZERS = ["adam", "sgd", "rmsprop", "adagrad"] as const;
export const ACTIVATIONS = ["relu", "elu", "tanh", "sigmoid", "selu"] as const;

export const CNN_PARAMETERS: Record<string, ParameterRule> = {
  learning_rate: { type: "number", min: 0, max: 10, exclusiveMin: true, default: 0.001, help: "optimizer step size" },
  optimizer: { type: "enum", values: OPTIMIZERS, default: "adam", help: "training algorithm" },
  batch_size: { type: "int", min: 1, max: 4096, default: 64, help: "images per gradient step" },
  epochs: { type: "int", min: 1, max: 500, default: 3, help: "passes over the training split" },
  conv_layers: { type: "int", min: 1, max: 4, default: 2, help: "conv blocks (conv, activation, 2x2 max pool)" },
  filters: { type: "int", min: 1, max: 512, default: 32, help: "filters in the first conv block; doubled per block" },
  kernel_size: { type: "int", min: 1, max: 9, default: 3, help: "square conv kernel size" },
  units: { type: "int", min: 1, max: 4096, default: 128, help: "units of the dense layer before the softmax head" },
  activation: { type: "enum", values: ACTIVATIONS, default: "relu", help: "hidden-layer activation" },
  dropout: { type: "number", min: 0, max: 0.95, default: 0, help: "dropout rate before the dense head" },
};

/** Returns a problem with one value, or null when the rule accepts it. */
export function checkRule(rule: ParameterRule, value: ParamValue): string | null {
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
