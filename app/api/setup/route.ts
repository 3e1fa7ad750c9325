import { getServices } from "@/server/services";
import { json, readJsonBody, withErrors } from "../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The first account, with the one-time token the server printed at start: { token, email, name, password }. */
export const POST = withErrors(async (request: Request) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return json(await getServices().auth.setup(body.body), 201);
});
