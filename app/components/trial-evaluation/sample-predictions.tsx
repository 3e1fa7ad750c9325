"use client";
import { useEffect, useRef } from "react";
import type { SamplePrediction, TrialEvaluation } from "@/server/training/types";
import { formatParam } from "@/app/lib/format";
import { formatPercent, sampleRgba } from "@/app/lib/trial-evaluation";

/** One test image, drawn from its bytes onto a small canvas (pixelated, 2x). */
function SampleImage({ sample }: { sample: SamplePrediction }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context) return;
    context.putImageData(new ImageData(sampleRgba(sample), sample.width, sample.height), 0, 0);
  }, [sample]);
  return (
    <canvas
      ref={canvas}
      width={sample.width}
      height={sample.height}
      className="rounded border border-tremor-border [image-rendering:pixelated]"
      style={{ width: sample.width * 2, height: sample.height * 2 }}
    />
  );
}

/** A few test images with the true label, the prediction and its confidence; mistakes are marked red. */
export function SamplePredictions({ samples, classNames }: { samples: SamplePrediction[]; classNames: string[] }) {
  return (
    <div className="flex flex-wrap gap-3" data-testid="sample-predictions">
      {samples.map((sample, i) => {
        const right = sample.label === sample.predicted;
        return (
          <figure key={i} className="flex w-[8rem] flex-col items-center gap-1 text-center text-xs" data-correct={right}>
            <SampleImage sample={sample} />
            <figcaption>
              <span className="block text-tremor-content">true: {classNames[sample.label]}</span>
              <span className={`block font-medium ${right ? "text-emerald-700" : "text-red-600"}`}>
                {right ? "✓" : "✗"} {classNames[sample.predicted]} <span className="whitespace-nowrap">({formatPercent(sample.confidence)})</span>
              </span>
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}

/** A table's sample test rows: the CSV's values, the true label, the prediction and its confidence. */
export function SampleRows({ samples, classNames }: { samples: NonNullable<TrialEvaluation["featureSamples"]>; classNames: string[] }) {
  const cell = "px-2 py-1 text-right tabular-nums";
  return (
    <div className="overflow-x-auto">
      <table className="text-xs" data-testid="sample-rows">
        <thead className="text-tremor-content">
          <tr>
            {samples.featureNames.map((name) => (
              <th key={name} className={cell}>{name}</th>
            ))}
            <th className="px-2 py-1 text-left">true</th>
            <th className="px-2 py-1 text-left">predicted</th>
          </tr>
        </thead>
        <tbody>
          {samples.rows.map((row, i) => {
            const right = row.label === row.predicted;
            return (
              <tr key={i} className="border-t border-tremor-border" data-correct={right}>
                {row.features.map((value, f) => (
                  <td key={f} className={cell}>{formatParam(value)}</td>
                ))}
                <td className="px-2 py-1 text-tremor-content">{classNames[row.label]}</td>
                <td className={`whitespace-nowrap px-2 py-1 font-medium ${right ? "text-emerald-700" : "text-red-600"}`}>
                  {right ? "✓" : "✗"} {classNames[row.predicted]} ({formatPercent(row.confidence)})
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
