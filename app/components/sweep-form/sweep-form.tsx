"use client";
// Defines a sweep: builds the sweep document from the inputs, POSTs it, shows the server's field errors next to
// the fields they concern (and the rest at the top), and opens the sweep page once it is created.
import { Button, Callout, Card } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { ApiError, postJson } from "@/app/lib/api-client";
import {
  DEFAULT_FORM_VALUES,
  METRIC_CHOICES,
  buildSweepDocument,
  placeErrors,
  withoutErrorsFor,
  type ErrorSlot,
  type TextFieldName,
  type PlacedErrors,
  type SweepFormValues,
} from "@/app/lib/sweep-form-document";
import { sweepPageUrl } from "@/app/lib/urls";
import type { MetricName } from "@/server/sweeps/sweep-document";
import { ArchitectureFields } from "./architecture-fields";
import { DATASET_DESCRIPTIONS, DatasetFields } from "./dataset-fields";
import { DocumentPreview } from "./document-preview";
import { Checkbox, Section, SelectField, TextField } from "./fields";
import { HyperparameterFields, textFieldProps, type FormBinding } from "./hyperparameter-fields";
import { MethodField, PrunerFields } from "./search-fields";

const NO_ERRORS: PlacedErrors = { bySlot: {}, unplaced: [] };

const METRIC_OPTIONS = (Object.keys(METRIC_CHOICES) as MetricName[]).map((value) => ({ value, label: METRIC_CHOICES[value].label }));
const GOAL_OPTIONS = [
  { value: "maximize", label: "maximize" },
  { value: "minimize", label: "minimize" },
] as const;

export function SweepForm() {
  const router = useRouter();
  const [values, setValues] = useState<SweepFormValues>(DEFAULT_FORM_VALUES);
  const [errors, setErrors] = useState<PlacedErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);
  // Until React has hydrated, a click would submit the form natively (a GET to this page): keep it disabled.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const document = useMemo(() => buildSweepDocument(values), [values]);

  const binding: FormBinding = {
    values,
    set: (name, value) => {
      setValues((current) => ({ ...current, [name]: value }));
      setErrors((current) => withoutErrorsFor(current, name));
    },
    errorsFor: (slot: ErrorSlot) => errors.bySlot[slot],
  };
  const { set, errorsFor } = binding;
  const text = (name: TextFieldName) => textFieldProps(binding, name);

  // A metric's usual goal follows the metric; the user can still override it afterwards.
  const chooseMetric = (metric: MetricName) => {
    set("metric", metric);
    set("goal", METRIC_CHOICES[metric].goal);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    try {
      const { id } = await postJson<{ id: string }>("/api/sweeps", document);
      router.push(sweepPageUrl(id));
    } catch (e) {
      const fieldErrors = e instanceof ApiError ? e.fieldErrors : [];
      setErrors(fieldErrors.length ? placeErrors(fieldErrors) : { bySlot: {}, unplaced: [{ path: "", message: e instanceof Error ? e.message : String(e) }] });
      setSubmitting(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-6" data-testid="sweep-form">
      {errors.unplaced.length > 0 && (
        <Callout title="The sweep could not be created" color="red" data-testid="form-errors">
          <ul className="list-disc pl-5">
            {errors.unplaced.map((e, i) => (
              <li key={i}>{e.path ? `${e.path}: ${e.message}` : e.message}</li>
            ))}
          </ul>
        </Callout>
      )}
      <Card className="space-y-6">
        <Section title="Sweep">
          <TextField {...text("name")} label="Name" placeholder="fmnist-quick" autoComplete="off" className="max-w-md" />
        </Section>
        <Section title="Data and model" description={DATASET_DESCRIPTIONS[values.dataset]}>
          <DatasetFields binding={binding} />
        </Section>
        <Section title="Search space" description="W&B sweep syntax: a range (min/max), a list of values, or one value. Leave a parameter blank to use its default.">
          <HyperparameterFields binding={binding} />
        </Section>
        <Section title="Architecture" description="Lists of values to search over; leave a field blank (or nothing ticked) for the template's default.">
          <ArchitectureFields binding={binding} />
        </Section>
        <Section title="Search">
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <div className="sm:col-span-3">
              <MethodField binding={binding} document={document} />
            </div>
            <SelectField name="metric" label="Metric" value={values.metric} options={METRIC_OPTIONS} onValue={chooseMetric} errors={errorsFor("metric")} />
            <SelectField name="goal" label="Goal" value={values.goal} options={GOAL_OPTIONS} onValue={(goal) => set("goal", goal)} errors={errorsFor("goal")} />
          </div>
        </Section>
        <Section title="Pruning" description="Stop unpromising trials early, judged by the metric after each epoch, so the budget goes to the promising ones.">
          <PrunerFields binding={binding} />
        </Section>
        <Section title="Budget">
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <TextField {...text("max_trials")} label="Max trials" type="number" min="1" step="1" />
            <TextField {...text("concurrency")} label="Concurrency (trials at once)" type="number" min="1" step="1" />
            <TextField {...text("seed")} label="Seed (optional)" type="number" min="0" step="1" hint="Blank picks one; the same seed repeats the same trials." />
            <TextField {...text("priority")} label="Priority (optional)" type="number" min="0" step="any" hint="Share of the workers against other sweeps; blank is 1." />
            <div className="flex items-end pb-2">
              <Checkbox name="gpu" label="Needs a GPU worker" checked={values.gpu} onChecked={(on) => set("gpu", on)} />
            </div>
          </div>
        </Section>
      </Card>
      <DocumentPreview document={document} />
      <div className="flex items-center gap-3">
        <Button type="submit" loading={submitting} disabled={!hydrated} data-testid="create-sweep">
          Create sweep
        </Button>
        <span className="text-tremor-default text-tremor-content">The sweep starts as soon as a worker is free.</span>
      </div>
    </form>
  );
}
