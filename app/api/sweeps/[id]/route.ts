import { getServices } from "@/server/services";
import { json, readJsonBody, withErrors, type IdContext } from "../../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The bounded snapshot; the service validates the query (zod) and answers 400 naming the bad field. */
export const GET = withErrors(async (request: Request, { params }: IdContext) => {
  const { id } = await params;
  return json(await getServices().sweeps.get(id, Object.fromEntries(new URL(request.url).searchParams)));
});

/** Live budget edit: { budget: { concurrency?, max_trials?, max_minutes?, target_value?, max_consecutive_failures? } }. */
export const PATCH = withErrors(async (request: Request, { params }: IdContext) => {
  const { id } = await params;
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return json({ sweep: await getServices().sweeps.editBudget(id, body.body) });
});
