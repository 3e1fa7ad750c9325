// Checks a sweep document's `parameters` against its model template's rules: known names, values in range,
// categorical parameters not given as ranges, and `per_layer_of` only where the template builds per-layer layers.
import { specExtremes, toParameterSpec } from "../../search/parameters";
import { listItems } from "../../search/space/names";
import type { SearchSpaceInput } from "../../search/space/parse";
import { checkRule, type ParameterRule } from "../training/cnn-parameters";
import { TEMPLATES, describePerLayer } from "../training/template-parameters";
import type { TemplateName } from "../training/types";

export interface ParameterIssue {
  /** Relative to `parameters`. */
  path: string[];
  message: string;
}

export function templateParameterIssues(template: TemplateName, parameters: SearchSpaceInput): ParameterIssue[] {
  const rules = TEMPLATES[template].parameters;
  const issues: ParameterIssue[] = [];
  for (const [name, input] of Object.entries(parameters)) {
    // Own keys only: `rules.constructor` is Object's constructor, which passed as a rule.
    const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
    if (!rule) {
      issues.push({ path: [name], message: unknownParameter(template, name, rules) });
      continue;
    }
    if (input.per_layer_of !== undefined && input.per_layer_of !== rule.perLayerOf) {
      const message = rule.perLayerOf
        ? `${name} is per-layer of ${rule.perLayerOf}, not ${input.per_layer_of}`
        : `${name} cannot be per-layer in the ${template} template (per-layer parameters: ${describePerLayer(template)})`;
      issues.push({ path: [name, "per_layer_of"], message });
      continue;
    }
    const spec = toParameterSpec(input);
    if ((rule.type === "enum" || rule.type === "bool") && (spec.kind === "int" || spec.kind === "float")) {
      issues.push({ path: [name], message: `takes \`values\` or \`value\`, not a range` });
      continue;
    }
    const key = spec.kind === "constant" ? "value" : spec.kind === "categorical" ? "values" : "min";
    for (const value of specExtremes(spec)) {
      const problem = checkRule(rule, value);
      if (problem) issues.push({ path: [name, key], message: `${name} ${problem}` });
    }
  }
  return issues;
}

/** Names the known parameters, and says how to write `filters_2`-style names the search library generates. */
function unknownParameter(template: TemplateName, name: string, rules: Record<string, ParameterRule>): string {
  const layer = /^(.+)_\d+$/.exec(name);
  const count = layer && Object.hasOwn(rules, layer[1]) ? rules[layer[1]].perLayerOf : undefined;
  if (layer && count) return `declare ${layer[1]} with \`per_layer_of: ${count}\` instead of one entry per layer`;
  const known = Object.keys(rules);
  return `unknown parameter for template ${template} (known: ${listItems(known, known.length, { max: known.length, maxChars: 220 })})`;
}
