import { Callout } from "@tremor/react";
import type { ReactNode } from "react";

/** A page-level message: server unavailable, sweep not found, nothing yet. */
export function Notice({ title, children, tone = "info" }: { title: string; children?: ReactNode; tone?: "info" | "error" }) {
  return (
    <Callout title={title} color={tone === "error" ? "red" : "blue"} className="mt-4">
      {children}
    </Callout>
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
