import { getServices } from "@/server/services";
import { principalOf } from "../_lib/principal";
import { json, withErrors } from "../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Public liveness; the database kind, worker count and event-loop lag only for signed-in users and api tokens. */
export const GET = withErrors(async (request: Request) => {
  const principal = principalOf(request);
  if (!principal || (principal.kind === "token" && principal.scope !== "api")) return json({ ok: true });
  const services = getServices();
  return json({ ok: true, db: services.db, workers: services.workers.connected(), eventLoop: services.eventLoop() });
});
