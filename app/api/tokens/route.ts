import { getServices } from "@/server/services";
import { userIdOf } from "../_lib/principal";
import { json, readJsonBody, withErrors } from "../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withErrors(async () => json({ tokens: await getServices().auth.tokens.list() }));

/** { name, scope: "api" | "worker" } → the token, shown this once, and its summary. */
export const POST = withErrors(async (request: Request) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return json(await getServices().auth.tokens.create(body.body, userIdOf(request)), 201);
});
