import { Card, Text, Title } from "@tremor/react";
import { ModelTable } from "../components/model-table";
import { Notice } from "../components/notice";
import { load } from "../lib/load";

export const dynamic = "force-dynamic";

export default async function ModelsPage() {
  const models = await load((s) => s.models.list());
  return (
    <Card>
      <Title>Models</Title>
      <Text>
        Load one with <code className="font-mono">tf.loadLayersModel</code> after unzipping; metadata.json gives the class names and the input
        preprocessing.
      </Text>
      {models.ok ? <ModelTable models={models.data} /> : <Notice title="Models are unavailable" tone="error">{models.error}</Notice>}
    </Card>
  );
}
