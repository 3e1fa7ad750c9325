// Number and date formatting shared by the tables and the chart.
import type { ParamValue } from "../../search/parameters";
import type { SweepDocument } from "../../server/sweeps/sweep-document";

/** Three decimals: accuracy to 0.1 %, as people read it; tiny losses switch to exponent notation. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value !== 0 && Math.abs(value) < 0.001 ? value.toExponential(2) : value.toFixed(3);
}

/** Learning rates span decades, so small numbers switch to exponent notation. */
export function formatParam(value: ParamValue | undefined): string {
  if (value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) < 0.01 ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}

export function formatDate(iso: string | null): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

/** What a sweep trains on, in a few words: "fashion-mnist (5,000 images)" or "iris.csv (label species)". */
export function describeDataset(dataset: SweepDocument["dataset"]): string {
  if (dataset.name === "csv") return `${dataset.file} (label ${dataset.label})`;
  return dataset.subset ? `${dataset.name} (${dataset.subset.toLocaleString("en")} images)` : dataset.name;
}
