import type { ClassificationReport } from "@/server/training/types";
import { cellColour, cellShare, formatPercent } from "@/app/lib/trial-evaluation";

/** Rows are the true classes, columns the predictions; each cell is shaded by its share of the row. */
export function ConfusionMatrix({ report, classNames }: { report: ClassificationReport; classNames: string[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="border-collapse text-xs tabular-nums" data-testid="confusion-matrix">
        <thead>
          <tr>
            <th className="px-1.5 py-1 text-left font-normal text-tremor-content">true ↓ / predicted →</th>
            {classNames.map((name) => (
              <th key={name} className="max-w-[4.5rem] px-1.5 py-1 text-right font-medium text-tremor-content-strong" title={name}>
                <span className="block truncate">{name}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.confusion.map((row, t) => (
            <tr key={t}>
              <th className="whitespace-nowrap px-1.5 py-1 text-left font-medium text-tremor-content-strong">{classNames[t]}</th>
              {row.map((count, p) => {
                const share = cellShare(report, t, p);
                return (
                  <td
                    key={p}
                    className="border border-tremor-border px-1.5 py-1 text-right"
                    style={{ backgroundColor: count ? cellColour(share, t === p) : undefined }}
                    title={`${classNames[t]} predicted as ${classNames[p]}: ${count} (${formatPercent(share)} of ${classNames[t]})`}
                  >
                    {count}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
