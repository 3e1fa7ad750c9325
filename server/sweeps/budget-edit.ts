// Live edits of a sweep's budget (concurrency, trial cap, time cap, target, failure cap) while it runs, the way W&B
// lets you change a sweep's run cap: the scheduler reads the budget on every tick, so an edit applies at once.
// Lowering concurrency lets running trials finish; lowering the trial cap below what exists ends the sweep when
// the running ones are done.
import { z } from "zod";
import { AppError } from "../errors";
import { budgetSchema, type FieldError, type SweepDocument } from "./sweep-document";

const editable = budgetSchema.shape;

/** A partial budget; null removes an optional cap. */
export const budgetPatchSchema = z
  .object({
    max_trials: editable.max_trials.optional(),
    concurrency: editable.concurrency.unwrap().optional(),
    max_minutes: editable.max_minutes.unwrap().nullable().optional(),
    target_value: editable.target_value.unwrap().nullable().optional(),
    max_consecutive_failures: editable.max_consecutive_failures.unwrap().nullable().optional(),
  })
  .strict();

export const budgetEditSchema = z.object({ budget: budgetPatchSchema }).strict();

export type BudgetPatch = z.output<typeof budgetPatchSchema>;
export type Budget = SweepDocument["budget"];

const toFieldErrors = (issues: z.core.$ZodIssue[]): FieldError[] =>
  issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));

/** Parses a PATCH body; throws AppError("invalid") with field errors. */
export function parseBudgetEdit(input: unknown): BudgetPatch {
  const parsed = budgetEditSchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid", "invalid budget edit", toFieldErrors(parsed.error.issues));
  if (Object.keys(parsed.data.budget).length === 0) {
    throw new AppError("invalid", "invalid budget edit", [{ path: "budget", message: "give at least one budget field to change" }]);
  }
  return parsed.data.budget;
}

/** The budget after the patch (nulls remove optional caps), checked as a whole. */
export function applyBudgetPatch(budget: Budget, patch: BudgetPatch): Budget {
  const merged: Record<string, unknown> = { ...budget };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  const parsed = budgetSchema.safeParse(merged);
  if (!parsed.success) {
    throw new AppError("invalid", "invalid budget", toFieldErrors(parsed.error.issues).map((e) => ({ ...e, path: `budget.${e.path}` })));
  }
  return parsed.data;
}
