"use client";
import { Button, NumberInput } from "@tremor/react";
import { useEffect, useState } from "react";
import { requestJson } from "@/app/lib/api-client";
import { canEditBudget } from "@/app/lib/sweep-actions";
import { sweepApiUrl } from "@/app/lib/urls";
import type { SweepDocument } from "@/server/sweeps/sweep-document";
import type { SweepStatus } from "@/server/sweeps/types";

/** Live edit of concurrency and the trial cap. The new budget comes back as a pushed sweep:updated. */
export function BudgetEditor({ sweepId, status, budget }: { sweepId: string; status: SweepStatus; budget: SweepDocument["budget"] }) {
  const [concurrency, setConcurrency] = useState(budget.concurrency);
  const [maxTrials, setMaxTrials] = useState(budget.max_trials);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A pushed update (this editor's or anyone's) resets the fields to the sweep's budget.
  useEffect(() => {
    setConcurrency(budget.concurrency);
    setMaxTrials(budget.max_trials);
  }, [budget.concurrency, budget.max_trials]);
  if (!canEditBudget(status)) return null;
  const changed = concurrency !== budget.concurrency || maxTrials !== budget.max_trials;
  const apply = async () => {
    setPending(true);
    setError(null);
    try {
      await requestJson(sweepApiUrl(sweepId), { method: "PATCH", body: JSON.stringify({ budget: { concurrency, max_trials: maxTrials } }) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-2 text-tremor-label" data-testid="budget-editor">
      <label className="flex items-center gap-1">
        concurrency
        <NumberInput className="w-20" min={1} max={64} value={concurrency} onValueChange={setConcurrency} data-testid="budget-concurrency" />
      </label>
      <label className="flex items-center gap-1">
        max trials
        <NumberInput className="w-24" min={1} max={10000} value={maxTrials} onValueChange={setMaxTrials} data-testid="budget-max-trials" />
      </label>
      <Button size="xs" variant="secondary" disabled={!changed || pending} loading={pending} onClick={() => void apply()} data-testid="budget-apply">
        Apply
      </Button>
      {error && <span className="text-red-600">{error}</span>}
    </div>
  );
}
