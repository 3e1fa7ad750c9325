"use client";
// Chips that filter the leaderboard by trial state (server-side), each with the sweep's count for that state.
import { memo } from "react";
import type { TrialState } from "@/server/sweeps/types";
import { ALL_TRIAL_STATES, countInStates, countOf, type TrialCounts } from "@/app/lib/trial-states";

interface StateFilterProps {
  states: TrialState[] | null;
  counts: TrialCounts;
  onChange(states: TrialState[] | null): void;
}

export const StateFilter = memo(function StateFilter({ states, counts, onChange }: StateFilterProps) {
  const chip = (label: string, count: number, pressed: boolean, onClick: () => void, testId: string) => (
    <button
      key={testId}
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      data-testid={testId}
      className={`rounded-full border px-2.5 py-0.5 text-xs tabular-nums transition-colors ${
        pressed
          ? "border-tremor-brand bg-tremor-brand-faint text-tremor-brand-emphasis dark:border-dark-tremor-brand dark:bg-dark-tremor-brand-faint dark:text-dark-tremor-brand-emphasis"
          : "border-tremor-border text-tremor-content hover:border-tremor-brand-muted dark:border-dark-tremor-border dark:text-dark-tremor-content dark:hover:border-dark-tremor-brand-muted"
      }`}
    >
      {label} <span className="opacity-70">{count.toLocaleString("en")}</span>
    </button>
  );
  const only = states?.length === 1 ? states[0] : null;
  return (
    <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Filter by state" data-testid="state-filter">
      {chip("all", countInStates(counts, null), states === null, () => onChange(null), "state-filter-all")}
      {ALL_TRIAL_STATES.map((state) =>
        chip(state, countOf(counts, state), only === state, () => onChange(only === state ? null : [state]), `state-filter-${state}`),
      )}
    </div>
  );
});
