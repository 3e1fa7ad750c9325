// The search method and pruner choices, each with a line of help, and the chosen pruner's options.
import type { SweepDocumentInput } from "@/server/sweeps/sweep-document";
import { gridSize } from "@/app/lib/grid-size";
import {
  METHOD_CHOICES,
  METHOD_NAMES,
  PRUNER_CHOICES,
  PRUNER_OPTION_FIELDS,
  PRUNER_TYPES,
  type MethodName,
  type PrunerOption,
} from "@/app/lib/search-choices";
import { SelectField, TextField } from "./fields";
import type { FormBinding } from "./hyperparameter-fields";

const METHOD_OPTIONS = METHOD_NAMES.map((value) => ({ value, label: METHOD_CHOICES[value].label }));
const PRUNER_OPTIONS = PRUNER_TYPES.map((value) => ({ value, label: PRUNER_CHOICES[value].label }));

export function MethodField({ binding, document }: { binding: FormBinding; document: SweepDocumentInput }) {
  const { values, set, errorsFor } = binding;
  // A grid cannot enumerate a continuous range: switch learning_rate to a list (the user can edit it or switch back).
  const chooseMethod = (method: MethodName) => {
    set("method", method);
    if (method === "grid" && values["learning_rate.mode"] === "range") set("learning_rate.mode", "values");
  };
  return (
    <div className="max-w-lg">
      <SelectField
        name="method"
        label="Search method"
        value={values.method}
        options={METHOD_OPTIONS}
        onValue={chooseMethod}
        errors={errorsFor("method")}
        hint={METHOD_CHOICES[values.method].help}
      />
      {values.method === "grid" && <GridNote document={document} />}
    </div>
  );
}

/** Says whether the grid is finite and how much of it the trial budget covers. */
function GridNote({ document }: { document: SweepDocumentInput }) {
  const size = gridSize(document.parameters);
  const budget = document.budget.max_trials;
  const text =
    "continuous" in size
      ? `${size.continuous.join(", ")} ${size.continuous.length > 1 ? "are continuous ranges" : "is a continuous range"}: a grid needs a step, so give a list of values.`
      : `${size.configurations.toLocaleString("en")} configurations` +
        (typeof budget === "number" && budget < size.configurations ? `; max trials ${budget} runs the first ${budget} in grid order.` : ", each run once.");
  return (
    <p className="mt-1 rounded-tremor-small bg-amber-50 px-2 py-1 text-xs text-amber-800" data-testid="grid-note">
      Grid: {text}
    </p>
  );
}

export function PrunerFields({ binding }: { binding: FormBinding }) {
  const { values, set, errorsFor } = binding;
  const choice = PRUNER_CHOICES[values["pruner.type"]];
  const options: readonly PrunerOption[] = choice.options;
  return (
    <div className="space-y-4">
      <SelectField
        className="max-w-sm"
        name="pruner.type"
        label="Pruner"
        value={values["pruner.type"]}
        options={PRUNER_OPTIONS}
        onValue={(type) => set("pruner.type", type)}
        errors={errorsFor("pruner.type")}
        hint={choice.help}
      />
      {options.length > 0 && (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-3" data-testid="pruner-options">
          {options.map((option) => {
            const name = `pruner.${option}` as const;
            const placeholder = option === "max_resource" ? values.epochs : undefined;
            return (
              <TextField
                key={option}
                name={name}
                label={PRUNER_OPTION_FIELDS[option].label}
                hint={PRUNER_OPTION_FIELDS[option].hint}
                type="number"
                step="any"
                placeholder={placeholder}
                value={values[name]}
                onValue={(v) => set(name, v)}
                errors={errorsFor(name)}
              />
            );
          })}
        </div>
      )}
    </div>
  );
}
