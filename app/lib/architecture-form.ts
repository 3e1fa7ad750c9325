// The sweep form's model-template choice and architecture parameters (conv blocks, dense blocks, regularisation):
// their form values, and the document entries built from them. Only the chosen template's parameters are sent,
// and blank fields are left out so the template's defaults apply. Free of React, like sweep-form-document.
import { TEMPLATES } from "../../server/training/template-parameters";
import type { TemplateName } from "../../server/training/types";

/** Layer counts, as integer ranges: the search library counts per-layer parameters over a range, not a list. */
export const LAYER_COUNT_FIELDS = ["conv_layers", "dense_layers"] as const;
/** Typed as comma-separated lists of values. */
export const ARCHITECTURE_LIST_FIELDS = ["strides", "conv_dropout", "dropout", "l1", "l2"] as const;
/** Chosen with one checkbox per value; none checked means the default. */
export const ARCHITECTURE_CHOICE_FIELDS = ["padding", "batch_norm", "pooling", "head", "activation"] as const;
/** Parameters the form can expand per layer, with the count they follow. */
export const PER_LAYER_FIELDS = { filters: "conv_layers", units: "dense_layers" } as const;

export type LayerCountField = (typeof LAYER_COUNT_FIELDS)[number];
export type ArchitectureListField = (typeof ARCHITECTURE_LIST_FIELDS)[number];
export type ArchitectureChoiceField = (typeof ARCHITECTURE_CHOICE_FIELDS)[number];
export type PerLayerField = keyof typeof PER_LAYER_FIELDS;

export type ArchitectureFormValues = { template: TemplateName } & { [K in LayerCountField as `${K}.${"min" | "max"}`]: string } & {
  [K in ArchitectureListField]: string;
} & {
  [K in ArchitectureChoiceField]: string[];
} & { [K in PerLayerField as `${K}.per_layer`]: boolean };

export const DEFAULT_ARCHITECTURE_VALUES: ArchitectureFormValues = {
  template: "cnn",
  "conv_layers.min": "",
  "conv_layers.max": "",
  "dense_layers.min": "",
  "dense_layers.max": "",
  strides: "",
  conv_dropout: "",
  dropout: "",
  l1: "",
  l2: "",
  padding: [],
  batch_norm: [],
  pooling: [],
  head: [],
  activation: [],
  "filters.per_layer": false,
  "units.per_layer": false,
};

export const TEMPLATE_OPTIONS = (Object.keys(TEMPLATES) as TemplateName[]).map((value) => ({ value, label: TEMPLATES[value].label }));

/** Whether the chosen template takes a parameter (the form shows and sends only those). */
export const templateTakes = (template: TemplateName, parameter: string) => parameter in TEMPLATES[template].parameters;

/** The checkbox values of a choice field, as the form shows them; batch_norm's are "true" and "false". */
export function choiceValues(field: ArchitectureChoiceField): string[] {
  const rule = TEMPLATES.cnn.parameters[field] ?? TEMPLATES.mlp.parameters[field];
  if (rule.type === "bool") return ["false", "true"];
  return rule.type === "enum" ? [...rule.values] : [];
}

type Scalar = number | string;
/** A parameter entry as the form builds it; the server checks its types and values. */
type Entry = Record<string, unknown>;

/** How the rest of the form reads what was typed: a comma-separated list, and a min/max range (undefined if blank). */
export interface TextParsers {
  list(text: string): Scalar[];
  range(min: string, max: string): Entry | undefined;
}

/** Architecture entries of the document, from the form. */
export function architectureParameters(form: ArchitectureFormValues, { list, range }: TextParsers): Record<string, Entry> {
  const entries: Record<string, Entry> = {};
  for (const field of LAYER_COUNT_FIELDS) {
    const entry = range(form[`${field}.min`], form[`${field}.max`]);
    if (entry) entries[field] = entry;
  }
  for (const field of ARCHITECTURE_LIST_FIELDS) {
    const values = list(form[field]);
    if (values.length) entries[field] = { values };
  }
  for (const field of ARCHITECTURE_CHOICE_FIELDS) {
    const chosen = form[field].map((value) => (field === "batch_norm" ? value === "true" : value));
    if (chosen.length) entries[field] = { values: chosen };
  }
  return entries;
}

/** Marks `filters` / `units` per-layer when the user asked for it (and the entry exists). */
export function withPerLayer(form: ArchitectureFormValues, parameters: Record<string, Entry>): Record<string, Entry> {
  const result = { ...parameters };
  for (const [field, count] of Object.entries(PER_LAYER_FIELDS) as [PerLayerField, string][]) {
    if (form[`${field}.per_layer`] && result[field]) result[field] = { ...result[field], per_layer_of: count };
  }
  return result;
}

/** Keeps only the parameters the chosen template takes, so switching template never sends the other's fields. */
export function forTemplate(template: TemplateName, parameters: Record<string, Entry>): Record<string, Entry> {
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => templateTakes(template, name)));
}
