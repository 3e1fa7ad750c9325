"use client";
// Parameter importance (PED-ANOVA) as sorted horizontal bars, with an empty state until enough trials completed.
import { BarList, Card, Text, Title } from "@tremor/react";
import { formatShare, MIN_IMPORTANCE_TRIALS, type ImportanceView } from "../../lib/analysis-view";
import { EmptyPlot } from "./empty-plot";

export function ImportanceCard({ view }: { view: ImportanceView }) {
  const { completeTrials, status, bars } = view;
  return (
    <Card className="lg:col-span-2" data-testid="importance">
      <Title>Parameter importance</Title>
      <Text>
        PED-ANOVA over {completeTrials} complete {completeTrials === 1 ? "trial" : "trials"}: how differently each parameter is distributed among
        the best trials than among all of them
      </Text>
      {status === "ready" ? (
        <BarList
          className="mt-4"
          sortOrder="none"
          valueFormatter={formatShare}
          data={bars.map((b) => ({
            key: b.param,
            value: b.importance,
            name: (
              <span data-testid={`importance-${b.param}`} data-importance={b.importance.toFixed(4)} title={`Pearson divergence ${b.divergence.toPrecision(3)}`}>
                {b.param}
              </span>
            ),
          }))}
        />
      ) : (
        <EmptyPlot testId="importance-empty">
          {status === "few-trials"
            ? `Importance needs at least ${MIN_IMPORTANCE_TRIALS} complete trials (${completeTrials} so far).`
            : "No parameter separates the best trials from the rest yet."}
        </EmptyPlot>
      )}
    </Card>
  );
}
