// The model's architecture parameters (conv blocks, dense blocks, regularisation) for the chosen template: layer
// counts as ranges, lists of values typed in, and choices ticked. Blank fields leave the template's default.
import {
  ARCHITECTURE_CHOICE_FIELDS,
  ARCHITECTURE_LIST_FIELDS,
  LAYER_COUNT_FIELDS,
  choiceValues,
  templateTakes,
  type ArchitectureChoiceField,
} from "@/app/lib/architecture-form";
import { Checkbox, FieldErrors, TextField } from "./fields";
import { ParameterRow, RangeInputs, type FormBinding } from "./hyperparameter-fields";

/** What a choice's checkbox says: batch_norm's booleans read as on/off. */
const choiceLabel = (field: ArchitectureChoiceField, value: string) => (field === "batch_norm" ? (value === "true" ? "on" : "off") : value);

function ChoiceInputs({ field, binding }: { field: ArchitectureChoiceField; binding: FormBinding }) {
  const chosen = binding.values[field];
  const toggle = (value: string, on: boolean) => binding.set(field, choiceValues(field).filter((v) => (v === value ? on : chosen.includes(v))));
  return (
    <>
      <div className="flex flex-wrap gap-4 pt-1">
        {choiceValues(field).map((value) => (
          <Checkbox key={value} name={field} value={value} label={choiceLabel(field, value)} checked={chosen.includes(value)} onChecked={(on) => toggle(value, on)} />
        ))}
      </div>
      <FieldErrors slot={field} errors={binding.errorsFor(field)} />
    </>
  );
}

export function ArchitectureFields({ binding }: { binding: FormBinding }) {
  const { values, set, errorsFor } = binding;
  const takes = (name: string) => templateTakes(values.template, name);
  return (
    <div>
      {LAYER_COUNT_FIELDS.filter(takes).map((field) => (
        <ParameterRow key={field} name={field} kind="integer range" binding={binding}>
          <RangeInputs parameter={field} binding={binding} step="1" />
        </ParameterRow>
      ))}
      {ARCHITECTURE_LIST_FIELDS.filter(takes).map((field) => (
        <ParameterRow key={field} name={field} kind="values" binding={binding}>
          <TextField className="max-w-sm" name={field} label="values (comma-separated)" value={values[field]} onValue={(v) => set(field, v)} errors={errorsFor(field)} />
        </ParameterRow>
      ))}
      {ARCHITECTURE_CHOICE_FIELDS.filter(takes).map((field) => (
        <ParameterRow key={field} name={field} kind="values" binding={binding}>
          <ChoiceInputs field={field} binding={binding} />
        </ParameterRow>
      ))}
    </div>
  );
}
