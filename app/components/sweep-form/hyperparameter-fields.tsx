// The training and size parameters of the search space: one row per parameter, with the chosen template's help
// text and defaults (rows the template does not take are hidden).
import type { ReactNode } from "react";
import { TEMPLATES } from "@/server/training/template-parameters";
import { PER_LAYER_FIELDS, templateTakes, type LayerCountField, type PerLayerField } from "@/app/lib/architecture-form";
import { OPTIMIZER_CHOICES, type ErrorSlot, type FieldName, type RangeMode, type SweepFormValues, type TextFieldName } from "@/app/lib/sweep-form-document";
import { Checkbox, FieldErrors, ModeSwitch, TextField } from "./fields";

export interface FormBinding {
  values: SweepFormValues;
  set<K extends FieldName>(name: K, value: SweepFormValues[K]): void;
  errorsFor(slot: ErrorSlot): string[] | undefined;
}

/** A text input's value, change handler and server errors, bound to the form field of the same name. */
export function textFieldProps(binding: FormBinding, name: TextFieldName) {
  return { name, value: binding.values[name], onValue: (v: string) => binding.set(name, v), errors: binding.errorsFor(name) };
}

export function ParameterRow({ name, kind, children, binding }: { name: string; kind: string; children: ReactNode; binding: FormBinding }) {
  const rule = TEMPLATES[binding.values.template].parameters[name];
  const slot = `group:${name}` as ErrorSlot;
  return (
    <div className="grid grid-cols-1 gap-3 border-b border-tremor-border py-4 last:border-b-0 md:grid-cols-[13rem_1fr]">
      <div>
        <p className="font-mono text-tremor-default font-semibold text-tremor-content-strong">{name}</p>
        <p className="text-xs text-tremor-content">
          {kind} · {rule?.help} · default {String(rule?.default)}
        </p>
      </div>
      <div>
        {children}
        <FieldErrors slot={slot} errors={binding.errorsFor(slot)} />
      </div>
    </div>
  );
}

export function RangeInputs({ parameter, binding, step, children }: {
  parameter: "learning_rate" | "units" | LayerCountField;
  binding: FormBinding;
  step: string;
  children?: ReactNode;
}) {
  const { values, set, errorsFor } = binding;
  const min = `${parameter}.min` as const;
  const max = `${parameter}.max` as const;
  return (
    <div className="flex flex-wrap items-start gap-3">
      <TextField className="w-40" name={min} label="min" aria-label={`${parameter} min`} type="number" step={step} value={values[min]} onValue={(v) => set(min, v)} errors={errorsFor(min)} />
      <TextField className="w-40" name={max} label="max" aria-label={`${parameter} max`} type="number" step={step} value={values[max]} onValue={(v) => set(max, v)} errors={errorsFor(max)} />
      {children}
    </div>
  );
}

const LEARNING_RATE_MODES = [
  { value: "range", label: "range" },
  { value: "values", label: "list of values" },
] as const satisfies readonly { value: RangeMode; label: string }[];

/** A range for random and model-based search; a list of values when the grid needs discrete points. */
function LearningRateInputs({ binding }: { binding: FormBinding }) {
  const { values, set, errorsFor } = binding;
  const mode = values["learning_rate.mode"];
  return (
    <div className="space-y-2">
      <ModeSwitch name="learning_rate.mode" label="learning_rate as" value={mode} modes={LEARNING_RATE_MODES} onValue={(m) => set("learning_rate.mode", m)} />
      {mode === "range" ? (
        <RangeInputs parameter="learning_rate" binding={binding} step="any">
          <div className="pt-6">
            <Checkbox name="learning_rate.log" label="log scale" checked={values["learning_rate.log"]} onChecked={(on) => set("learning_rate.log", on)} />
          </div>
        </RangeInputs>
      ) : (
        <TextField
          className="max-w-sm"
          name="learning_rate.values"
          label="values (comma-separated)"
          placeholder="0.0001, 0.001, 0.01"
          value={values["learning_rate.values"]}
          onValue={(v) => set("learning_rate.values", v)}
          errors={errorsFor("learning_rate.values")}
        />
      )}
    </div>
  );
}

/** "one value per conv layer": expands the parameter into filters_1..filters_N (the count must be in the space). */
function PerLayerToggle({ field, binding }: { field: PerLayerField; binding: FormBinding }) {
  const name = `${field}.per_layer` as const;
  return (
    <div className="pt-2">
      <Checkbox name={name} label={`a value per ${PER_LAYER_FIELDS[field].replace("_layers", " layer")}`} checked={binding.values[name]} onChecked={(on) => binding.set(name, on)} />
    </div>
  );
}

function ListInput({ name, binding, placeholder }: { name: "filters" | "kernel_size" | "batch_size"; binding: FormBinding; placeholder: string }) {
  return (
    <TextField
      className="max-w-sm"
      name={name}
      label="values (comma-separated)"
      placeholder={placeholder}
      value={binding.values[name]}
      onValue={(v) => binding.set(name, v)}
      errors={binding.errorsFor(name)}
    />
  );
}

export function HyperparameterFields({ binding }: { binding: FormBinding }) {
  const { values, set, errorsFor } = binding;
  const toggleOptimizer = (optimizer: string, on: boolean) =>
    set("optimizer", OPTIMIZER_CHOICES.filter((o) => (o === optimizer ? on : values.optimizer.includes(o))));
  return (
    <div>
      <ParameterRow name="learning_rate" kind={values["learning_rate.mode"] === "range" ? "range" : "values"} binding={binding}>
        <LearningRateInputs binding={binding} />
      </ParameterRow>
      {templateTakes(values.template, "filters") && (
        <ParameterRow name="filters" kind="values" binding={binding}>
          <ListInput name="filters" binding={binding} placeholder="16, 32, 64" />
          <PerLayerToggle field="filters" binding={binding} />
        </ParameterRow>
      )}
      {templateTakes(values.template, "kernel_size") && (
        <ParameterRow name="kernel_size" kind="values" binding={binding}>
          <ListInput name="kernel_size" binding={binding} placeholder="3, 5" />
        </ParameterRow>
      )}
      <ParameterRow name="units" kind="integer range" binding={binding}>
        <RangeInputs parameter="units" binding={binding} step="1" />
        <PerLayerToggle field="units" binding={binding} />
      </ParameterRow>
      <ParameterRow name="batch_size" kind="values" binding={binding}>
        <ListInput name="batch_size" binding={binding} placeholder="32, 64" />
      </ParameterRow>
      <ParameterRow name="optimizer" kind="values" binding={binding}>
        <div className="flex flex-wrap gap-4 pt-1">
          {OPTIMIZER_CHOICES.map((optimizer) => (
            <Checkbox
              key={optimizer}
              name="optimizer"
              value={optimizer}
              label={optimizer}
              checked={values.optimizer.includes(optimizer)}
              onChecked={(on) => toggleOptimizer(optimizer, on)}
            />
          ))}
        </div>
        <FieldErrors slot="optimizer" errors={errorsFor("optimizer")} />
      </ParameterRow>
      <ParameterRow name="epochs" kind="value" binding={binding}>
        <TextField className="w-40" name="epochs" label="value" type="number" step="1" min="1" value={values.epochs} onValue={(v) => set("epochs", v)} errors={errorsFor("epochs")} />
      </ParameterRow>
    </div>
  );
}
