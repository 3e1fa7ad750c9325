// The sweep document's `dataset`: Fashion-MNIST, or a CSV table each worker reads from its SWEEPBOARD_DATA_DIR;
// which templates each kind takes; and the dataset reference a worker's job carries.
import { z } from "zod";
import { csvDatasetIssues, csvFileProblem } from "../datasets/csv-dataset";
import { TEMPLATES_FOR_DATASET, type DatasetRef, type TemplateName } from "../training/types";
import { DOCUMENT_LIMITS } from "./document-limits";

const fraction = z.number().gt(0).lt(0.5);
const columnName = z.string().min(1, "column names cannot be empty").max(DOCUMENT_LIMITS.columnNameLength);
const columnList = z.array(columnName).min(1).max(DOCUMENT_LIMITS.columns);

const imageDatasetSchema = z
  .object({
    name: z.literal("fashion-mnist"),
    subset: z.number().int().min(100, "subset must be at least 100 images").max(60000).optional(),
    validation_split: fraction.default(0.1),
  })
  .strict();

const csvDatasetSchema = z
  .object({
    name: z.literal("csv"),
    /** Relative to each worker's SWEEPBOARD_DATA_DIR. */
    file: z.string().trim().min(1, "file is required").max(DOCUMENT_LIMITS.fileLength).superRefine((file, ctx) => {
      const problem = csvFileProblem(file);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    label: z.string().min(1, "label is required (the header of the class column)").max(DOCUMENT_LIMITS.columnNameLength),
    features: columnList.optional(),
    ignore: columnList.optional(),
    validation_split: fraction.default(0.1),
    test_split: fraction.default(0.1),
  })
  .strict()
  .superRefine((dataset, ctx) => {
    const labelIn = (field: "features" | "ignore") => {
      if (dataset[field]?.includes(dataset.label)) ctx.addIssue({ code: "custom", path: [field], message: `\`${dataset.label}\` is the label column` });
    };
    labelIn("features");
    labelIn("ignore");
    if (dataset.features && dataset.ignore) ctx.addIssue({ code: "custom", path: ["ignore"], message: "give either features or ignore, not both" });
  });

export const datasetSchema = z.discriminatedUnion("name", [imageDatasetSchema, csvDatasetSchema], { error: "name must be `fashion-mnist` or `csv`" });

export type DatasetDocument = z.output<typeof datasetSchema>;

/** A template the dataset kind cannot train (a CNN needs images), as a message for `model.template`. */
export function templateProblem(dataset: DatasetDocument, template: TemplateName): string | null {
  const allowed = TEMPLATES_FOR_DATASET[dataset.name];
  if (allowed.includes(template)) return null;
  const label = dataset.name === "csv" ? "a CSV dataset" : dataset.name;
  return `${label} trains the ${allowed.join(" or ")} template (the ${template} template needs images)`;
}

/** What a worker's job says about the data (camelCase, defaults applied). */
export function datasetRefOf(dataset: DatasetDocument): DatasetRef {
  if (dataset.name === "fashion-mnist") return { name: dataset.name, subset: dataset.subset, validationSplit: dataset.validation_split };
  const { file, label, features, ignore } = dataset;
  return {
    name: "csv",
    file,
    label,
    ...(features ? { features } : {}),
    ...(ignore ? { ignore } : {}),
    validationSplit: dataset.validation_split,
    testSplit: dataset.test_split,
  };
}

/** Problems in the data itself (columns, classes, rows per class) that this process can see now, as field errors:
 *  a CSV the server has too is checked at creation instead of failing every trial later. */
export async function datasetContentIssues(dataset: DatasetDocument): Promise<{ path: string; message: string }[]> {
  const ref = datasetRefOf(dataset);
  return ref.name === "csv" ? csvDatasetIssues(ref) : [];
}
