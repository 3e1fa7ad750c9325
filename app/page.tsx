import { Card, Flex, Text, Title } from "@tremor/react";
import { LinkButton } from "./components/link-button";
import { ModelTable } from "./components/model-table";
import { Notice } from "./components/notice";
import { SweepTable } from "./components/sweep-table";
import { WorkerTable } from "./components/worker-table";
import { load } from "./lib/load";

export const dynamic = "force-dynamic";

export default async function SweepsPage() {
  const [sweeps, models, workers] = await Promise.all([
    load((s) => s.sweeps.list()),
    load((s) => s.models.list()),
    load(async (s) => s.workers.list()),
  ]);
  return (
    <div className="space-y-6">
      <Card>
        <Flex justifyContent="between" alignItems="center">
          <div>
            <Title>Sweeps</Title>
            <Text>Hyperparameter searches over CNNs on Fashion-MNIST, newest first.</Text>
          </div>
          <LinkButton href="/sweeps/new" testId="new-sweep">
            + New sweep
          </LinkButton>
        </Flex>
        {sweeps.ok ? <SweepTable sweeps={sweeps.data} /> : <Notice title="Sweeps are unavailable" tone="error">{sweeps.error}</Notice>}
      </Card>
      <Card>
        <Title>Models</Title>
        <Text>Trials promoted to versioned models: a zip with model.json, weights.bin and metadata.json.</Text>
        {models.ok ? <ModelTable models={models.data.slice(0, 5)} /> : <Notice title="Models are unavailable" tone="error">{models.error}</Notice>}
        {models.ok && models.data.length > 5 && (
          <div className="mt-4">
            <LinkButton href="/models" variant="secondary">
              All {models.data.length} models
            </LinkButton>
          </div>
        )}
      </Card>
      <Card>
        <Title>Workers</Title>
        <Text>Connected worker agents and the engine each trains on (as of this page load).</Text>
        {workers.ok ? <WorkerTable workers={workers.data} /> : <Notice title="Workers are unavailable" tone="error">{workers.error}</Notice>}
      </Card>
    </div>
  );
}
