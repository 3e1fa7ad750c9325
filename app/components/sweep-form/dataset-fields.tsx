// The data and model choice: Fashion-MNIST with a subset size, or a CSV table (file, label column, columns to
// ignore) that each worker reads from its SWEEPBOARD_DATA_DIR; the template list offers only what the data can train.
import { DATASET_OPTIONS, templateAfterDatasetChange, templateOptionsFor } from "@/app/lib/dataset-form";
import type { TextFieldName } from "@/app/lib/sweep-form-document";
import type { DatasetName } from "@/server/training/types";
import { SelectField, TextField } from "./fields";
import { textFieldProps, type FormBinding } from "./hyperparameter-fields";

export const DATASET_DESCRIPTIONS: Record<DatasetName, string> = {
  "fashion-mnist": "Fashion-MNIST from the official IDX files; a seeded, stratified subset keeps trials short.",
  csv: "A CSV table with a header row: numeric feature columns and a label column, split 80/10/10 (seeded, stratified) and standardised with the training rows. Each worker reads the file from its SWEEPBOARD_DATA_DIR.",
};

export function DatasetFields({ binding }: { binding: FormBinding }) {
  const { values, set, errorsFor } = binding;
  const text = (name: TextFieldName) => textFieldProps(binding, name);
  const chooseDataset = (dataset: DatasetName) => {
    set("dataset", dataset);
    set("template", templateAfterDatasetChange(dataset, values.template));
  };
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
      <SelectField name="dataset" label="Dataset" value={values.dataset} options={DATASET_OPTIONS} onValue={chooseDataset} errors={errorsFor("dataset")} />
      {values.dataset === "csv" ? (
        <>
          <TextField {...text("dataset.file")} label="CSV file" placeholder="iris.csv" autoComplete="off" hint="Relative to SWEEPBOARD_DATA_DIR on every worker." />
          <TextField {...text("dataset.label")} label="Label column" placeholder="species" autoComplete="off" hint="The header of the class column." />
          <TextField {...text("dataset.ignore")} label="Columns to ignore (optional)" placeholder="id" autoComplete="off" hint="Comma-separated; every other column is a numeric feature." />
        </>
      ) : (
        <TextField {...text("subset")} label="Subset size (training images)" type="number" min="100" max="60000" step="100" hint="Blank uses all 60,000." />
      )}
      <SelectField name="template" label="Model template" value={values.template} options={templateOptionsFor(values.dataset)} onValue={(template) => set("template", template)} errors={errorsFor("template")} />
    </div>
  );
}
