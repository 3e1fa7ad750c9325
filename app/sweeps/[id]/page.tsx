import { SweepLiveView } from "../../components/sweep-live-view";

export default async function SweepPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Keyed by id so moving between sweeps starts a fresh subscription and state.
  return <SweepLiveView key={id} sweepId={id} />;
}
