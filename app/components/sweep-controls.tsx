"use client";
import { Button } from "@tremor/react";
import { useState } from "react";
import { postJson } from "@/app/lib/api-client";
import { ACTION_LABELS, sweepActions } from "@/app/lib/sweep-actions";
import { sweepActionUrl } from "@/app/lib/urls";
import type { SweepAction } from "@/server/scheduler/sweep-control";
import type { SweepStatus } from "@/server/sweeps/types";

/** Pause / resume / stop. The new status arrives as a pushed sweep:updated; nothing is refetched here. */
export function SweepControls({ sweepId, status }: { sweepId: string; status: SweepStatus }) {
  const [pending, setPending] = useState<SweepAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: SweepAction) => {
    if (action === "stop" && !window.confirm("Stop this sweep? Waiting and running trials end now.")) return;
    setPending(action);
    setError(null);
    try {
      await postJson(sweepActionUrl(sweepId, action));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(null);
    }
  };
  const actions = sweepActions(status);
  if (actions.length === 0) return null;
  return (
    <div className="flex items-center gap-2">
      {actions.map((action) => (
        <Button
          key={action}
          size="xs"
          variant={action === "stop" ? "secondary" : "primary"}
          color={action === "stop" ? "red" : "blue"}
          loading={pending === action}
          disabled={pending !== null}
          onClick={() => void run(action)}
          data-testid={`sweep-${action}`}
        >
          {ACTION_LABELS[action]}
        </Button>
      ))}
      {error && <span className="text-tremor-label text-red-600">{error}</span>}
    </div>
  );
}
