import type { SweepDocumentInput } from "@/server/sweeps/sweep-document";

/** The JSON the form will send, collapsed by default; the same document works with `curl -d @sweep.json`. */
export function DocumentPreview({ document }: { document: SweepDocumentInput }) {
  return (
    <details className="rounded-tremor-default border border-tremor-border bg-tremor-background-muted" data-testid="document-preview">
      <summary className="cursor-pointer select-none px-4 py-2 text-tremor-default font-medium text-tremor-content-emphasis">
        Sweep document (JSON preview)
      </summary>
      <pre className="overflow-x-auto border-t border-tremor-border px-4 py-3 font-mono text-xs leading-5 text-tremor-content-strong">
        {formatDocument(document)}
      </pre>
    </details>
  );
}

/** Pretty JSON with short lists of numbers or strings kept on one line, as a person would write them. */
export function formatDocument(document: unknown): string {
  return JSON.stringify(document, null, 2).replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_match, items: string) => `[${items.split(/,\s+/).join(", ")}]`);
}
