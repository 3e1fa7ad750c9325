import { getServices } from "@/server/services";
import { json, withErrors, type IdContext } from "../../../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The service validates the cursor (zod) and answers 400 with a field error for a bad one. */
export const GET = withErrors(async (request: Request, { params }: IdContext) => {
  const { id } = await params;
  const search = new URL(request.url).searchParams;
  return json(await getServices().sweeps.changes(id, search.get("since"), search.get("trials")));
});
