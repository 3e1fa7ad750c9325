"use client";
import { Button } from "@tremor/react";
import { useState } from "react";
import { postJson } from "@/app/lib/api-client";
import type { TrialSummary } from "@/server/sweeps/types";
import { modelDownloadUrl, promoteApiUrl } from "@/app/lib/urls";
import { LinkButton } from "./link-button";

/** Promote a complete trial to a versioned model, then offer its download. */
export function PromoteControl({ trial, onPromoted }: { trial: TrialSummary; onPromoted(trialId: string, modelId: string): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (trial.modelId) {
    return (
      <LinkButton href={modelDownloadUrl(trial.modelId)} download variant="secondary" testId={`download-${trial.number}`}>
        Download
      </LinkButton>
    );
  }
  if (trial.state !== "complete") return <span className="text-tremor-content-subtle">—</span>;

  const promote = async () => {
    setBusy(true);
    setError(null);
    try {
      const { modelId } = await postJson<{ modelId: string }>(promoteApiUrl(trial.id));
      onPromoted(trial.id, modelId);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-col items-start gap-1">
      <Button size="xs" variant="secondary" loading={busy} onClick={promote} data-testid={`promote-${trial.number}`}>
        Promote
      </Button>
      {error && <span className="max-w-[14rem] text-xs text-red-600">{error}</span>}
    </div>
  );
}
