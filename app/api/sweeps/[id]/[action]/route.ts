import { getServices } from "@/server/services";
import { json, withErrors } from "../../../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** POST /api/sweeps/:id/pause | resume | stop */
export const POST = withErrors(async (_request: Request, { params }: { params: Promise<{ id: string; action: string }> }) => {
  const { id, action } = await params;
  return json({ sweep: await getServices().sweeps.control(id, action) });
});
