import type { Connection } from "@/app/lib/use-sweep-live";

const LOOK: Record<Connection, { dot: string; label: string }> = {
  connecting: { dot: "bg-gray-400", label: "connecting…" },
  live: { dot: "bg-emerald-500", label: "live" },
  reconnecting: { dot: "bg-amber-500 animate-pulse", label: "reconnecting…" },
};

/** Tells the user whether the page is receiving pushed updates. */
export function ConnectionIndicator({ connection }: { connection: Connection }) {
  const { dot, label } = LOOK[connection];
  return (
    <span className="inline-flex items-center gap-1.5 text-tremor-label text-tremor-content" data-testid="connection" data-connection={connection}>
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden />
      {label}
    </span>
  );
}
