// Which parameters each model template takes (rules, defaults, per-layer expansion): read by the sweep-document
// validator, the sweep form and the trainer. Free of TF.js, so the browser bundle can import it.
import type { Params } from "../../search/parameters";
import { CNN_PARAMETERS, CORE_PARAMETERS, DENSE_PARAMETERS, type ParameterRule } from "./cnn-parameters";
import { TRAINING_PARAMETERS } from "./training-parameters";
import type { TemplateName } from "./types";

/** Dense blocks for tabular data (and flattened images). */
export const MLP_PARAMETERS: Record<string, ParameterRule> = {
  ...CORE_PARAMETERS,
  ...DENSE_PARAMETERS,
  batch_norm: { type: "bool", default: false, help: "batch normalisation between each hidden dense layer and its activation" },
  ...TRAINING_PARAMETERS,
};

export interface TemplateInfo {
  label: string;
  parameters: Record<string, ParameterRule>;
}

export const TEMPLATES: Record<TemplateName, TemplateInfo> = {
  cnn: { label: "CNN (conv blocks + dense head)", parameters: CNN_PARAMETERS },
  mlp: { label: "MLP (dense blocks; images are flattened)", parameters: MLP_PARAMETERS },
};

/** A trial's parameters with the template's defaults filled in; per-layer values (filters_2, …) are kept as given. */
export function templateDefaults(template: TemplateName, params: Params): Params {
  const full: Params = {};
  for (const [name, rule] of Object.entries(TEMPLATES[template].parameters)) full[name] = params[name] ?? rule.default;
  for (const [name, value] of Object.entries(params)) if (!(name in full)) full[name] = value;
  return full;
}

/** The value of per-layer parameter `name` for 1-based `layer`: `name_<layer>` when the sweep expanded it (the
 *  search library's naming), else `fallback`. */
export function layerParam(params: Params, name: string, layer: number, fallback: number): number {
  const value = params[`${name}_${layer}`];
  return value === undefined ? fallback : Number(value);
}

/** "filters, kernel_size (per conv_layers); units, dropout (per dense_layers)": for error messages and docs. */
export function describePerLayer(template: TemplateName): string {
  const byCount = new Map<string, string[]>();
  for (const [name, rule] of Object.entries(TEMPLATES[template].parameters)) {
    if (rule.perLayerOf) byCount.set(rule.perLayerOf, [...(byCount.get(rule.perLayerOf) ?? []), name]);
  }
  return [...byCount].map(([count, names]) => `${names.join(", ")} (per ${count})`).join("; ");
}
