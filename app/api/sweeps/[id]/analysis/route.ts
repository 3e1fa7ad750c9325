import { getServices } from "@/server/services";
import { json, withErrors, type IdContext } from "../../../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withErrors(async (_request: Request, { params }: IdContext) => {
  const { id } = await params;
  return json(await getServices().sweeps.analysis(id));
});
