import { getServices } from "@/server/services";
import { json, withErrors, type IdContext } from "../../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Revokes the token; workers connected with it are disconnected at once. */
export const DELETE = withErrors(async (_request: Request, { params }: IdContext) => {
  const { id } = await params;
  await getServices().auth.tokens.revoke(id);
  return json({ revoked: id });
});
