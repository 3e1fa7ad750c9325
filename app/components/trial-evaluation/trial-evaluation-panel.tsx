"use client";
import { Button, Text } from "@tremor/react";
import { useEffect, useState } from "react";
import type { TrialEvaluation } from "@/server/training/types";
import { requestJson } from "@/app/lib/api-client";
import { formatMetric } from "@/app/lib/format";
import { availableSplits, exampleNoun, formatPercent, reportFor, type EvaluationSplit } from "@/app/lib/trial-evaluation";
import { trialEvaluationApiUrl } from "@/app/lib/urls";
import { ClassMetricsTable } from "./class-metrics-table";
import { ConfusionMatrix } from "./confusion-matrix";
import { SamplePredictions, SampleRows } from "./sample-predictions";

type Loaded = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; evaluation: TrialEvaluation };

/** A complete trial's final model on the test (or validation) split: summary, per-class metrics, confusion
 *  matrix and sample predictions. Fetched when opened: too large to push with every trial update. */
export function TrialEvaluationPanel({ trialId, trialNumber }: { trialId: string; trialNumber: number }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [split, setSplit] = useState<EvaluationSplit>("test");

  useEffect(() => {
    let current = true;
    requestJson<TrialEvaluation>(trialEvaluationApiUrl(trialId)).then(
      (evaluation) => current && setLoaded({ state: "ready", evaluation }),
      (error: Error) => current && setLoaded({ state: "error", message: error.message }),
    );
    return () => {
      current = false;
    };
  }, [trialId]);

  if (loaded.state === "loading") return <Text>Loading the evaluation of trial #{trialNumber}…</Text>;
  if (loaded.state === "error") return <Text className="text-red-600">Could not load the evaluation: {loaded.message}</Text>;
  const { evaluation } = loaded;
  const report = reportFor(evaluation, split);
  return (
    <div className="space-y-4 py-2" data-testid={`trial-evaluation-${trialNumber}`}>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <div className="flex gap-1">
          {availableSplits(evaluation).map((s) => (
            <Button key={s} size="xs" variant={s === split ? "primary" : "secondary"} onClick={() => setSplit(s)}>
              {s} ({s === "test" ? evaluation.test.count : evaluation.validation?.count} {exampleNoun(evaluation)})
            </Button>
          ))}
        </div>
        <Text>
          accuracy <strong>{formatPercent(report.accuracy)}</strong> · loss {formatMetric(report.loss)} · macro precision{" "}
          {formatMetric(report.macro.precision)} · recall {formatMetric(report.macro.recall)} · F1 <strong>{formatMetric(report.macro.f1)}</strong>
        </Text>
      </div>
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,27rem)_1fr]">
        <ClassMetricsTable report={report} classNames={evaluation.classNames} />
        <ConfusionMatrix report={report} classNames={evaluation.classNames} />
      </div>
      {evaluation.samples.length > 0 && (
        <div className="space-y-2">
          <Text className="font-medium text-tremor-content-strong">Sample test predictions</Text>
          <SamplePredictions samples={evaluation.samples} classNames={evaluation.classNames} />
        </div>
      )}
      {evaluation.featureSamples && evaluation.featureSamples.rows.length > 0 && (
        <div className="space-y-2">
          <Text className="font-medium text-tremor-content-strong">Sample test predictions</Text>
          <SampleRows samples={evaluation.featureSamples} classNames={evaluation.classNames} />
        </div>
      )}
    </div>
  );
}
