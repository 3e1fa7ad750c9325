import { getServices } from "@/server/services";
import { json, withErrors, type IdContext } from "../../../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The service validates the query (zod) and answers 400 naming the bad field. */
export const GET = withErrors(async (request: Request, { params }: IdContext) => {
  const { id } = await params;
  return json(await getServices().sweeps.curves(id, Object.fromEntries(new URL(request.url).searchParams)));
});
