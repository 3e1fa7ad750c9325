import { SetupForm } from "../components/auth/setup-form";
import { Notice } from "../components/notice";
import { load } from "../lib/load";

export const dynamic = "force-dynamic";

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const open = await load(async (s) => s.auth.setupOpen());
  if (!open.ok || !open.data || typeof token !== "string") {
    return <Notice title="Setup is closed">An account exists already (or the link is incomplete): sign in instead.</Notice>;
  }
  return <SetupForm token={token} />;
}
