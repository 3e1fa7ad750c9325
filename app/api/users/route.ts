import { getServices } from "@/server/services";
import { json, readJsonBody, withErrors } from "../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withErrors(async () => json({ users: await getServices().auth.users.list() }));

/** A colleague's account: { email, name, password }. Signed-in users only (the gate's rule for /api/users). */
export const POST = withErrors(async (request: Request) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return json({ user: await getServices().auth.users.create(body.body) }, 201);
});
