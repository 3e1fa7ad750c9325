import { Text } from "@tremor/react";
import type { ReactNode } from "react";

/** The dashed placeholder a chart shows until it has data (as the learning-curve chart does). */
export function EmptyPlot({ children, testId, className = "h-48" }: { children: ReactNode; testId?: string; className?: string }) {
  return (
    <div className={`mt-4 flex items-center justify-center rounded-tremor-default border border-dashed border-tremor-border px-4 text-center ${className}`} data-testid={testId}>
      <Text>{children}</Text>
    </div>
  );
}
