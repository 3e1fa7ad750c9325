import { Card, Flex, ProgressBar, Text, Title } from "@tremor/react";
import type { SweepSummary } from "@/server/sweeps/types";
import { describeDataset, formatDate, formatMetric } from "@/app/lib/format";
import type { Connection } from "@/app/lib/use-sweep-live";
import type { SweepProgress } from "@/app/lib/sweep-view";
import { describePruner, methodLabel } from "@/app/lib/search-choices";
import { ConnectionIndicator } from "./connection-indicator";
import { SweepStatusBadge } from "./status-badge";
import { BudgetEditor } from "./budget-editor";
import { SweepControls } from "./sweep-controls";

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text className="text-tremor-label uppercase tracking-wide">{label}</Text>
      <p className="text-tremor-title font-semibold tabular-nums text-tremor-content-strong dark:text-dark-tremor-content-strong" data-testid={testId}>
        {value}
      </p>
    </div>
  );
}

export function SweepHeader({ sweep, progress, connection }: { sweep: SweepSummary; progress: SweepProgress; connection: Connection }) {
  const percent = progress.maxTrials ? Math.min(100, (100 * progress.finished) / progress.maxTrials) : 0;
  const { dataset, model, budget, seed, pruner } = sweep.document;
  const pruning = describePruner(pruner);
  return (
    <Card>
      {/* Wraps on a phone: the controls go below the title instead of widening the page. */}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-[1_1_18rem]">
          <Flex justifyContent="start" className="gap-3">
            <Title className="text-2xl">{sweep.name}</Title>
            <SweepStatusBadge status={sweep.status} testId="sweep-status" />
          </Flex>
          <Text className="mt-1">
            <span className="font-medium text-tremor-content-emphasis dark:text-dark-tremor-content-emphasis" data-testid="sweep-method">
              {methodLabel(sweep.method)} search
            </span>
            {pruning && (
              <>
                {" · "}
                <span className="font-medium text-amber-700 dark:text-amber-400" data-testid="sweep-pruner">
                  pruning: {pruning}
                </span>
              </>
            )}
            {" · "}on {describeDataset(dataset)} · {model.template.toUpperCase()} · concurrency {budget.concurrency}
            {` · seed ${seed}`} · created {formatDate(sweep.createdAt)}
          </Text>
        </div>
        <div className="flex max-w-full flex-col items-start gap-3 sm:items-end">
          <ConnectionIndicator connection={connection} />
          <SweepControls sweepId={sweep.id} status={sweep.status} />
          <BudgetEditor sweepId={sweep.id} status={sweep.status} budget={budget} />
        </div>
      </div>
      <div className={`mt-6 grid grid-cols-2 gap-6 ${pruning ? "sm:grid-cols-5" : "sm:grid-cols-4"}`}>
        <Stat label="Metric" value={`${sweep.metric.name} (${sweep.metric.goal === "maximize" ? "max" : "min"})`} />
        <Stat label="Best value" value={formatMetric(progress.bestValue)} testId="sweep-best" />
        <Stat label="Trials finished" value={`${progress.finished.toLocaleString("en")} / ${progress.maxTrials.toLocaleString("en")}`} testId="sweep-progress" />
        <Stat label="Running" value={progress.running.toLocaleString("en")} />
        {pruning && <Stat label="Pruned" value={progress.pruned.toLocaleString("en")} testId="sweep-pruned" />}
      </div>
      <ProgressBar value={percent} className="mt-4" color="blue" showAnimation={false} />
      {sweep.error && (
        <Text className="mt-3 text-red-600" data-testid="sweep-error">
          {sweep.error}
        </Text>
      )}
    </Card>
  );
}
