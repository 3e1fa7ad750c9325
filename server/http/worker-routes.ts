// Routes for worker agents besides the artifact transfers: `whoami` lets an agent learn, before it opens its socket
// (whose refusals look like network errors to the client), whether its token is good.
import type { RawRoute } from "./raw-routes";

export const WORKER_WHOAMI_PATH = "/api/worker/whoami";

export const workerRoutes: readonly RawRoute[] = [
  {
    method: "GET",
    path: WORKER_WHOAMI_PATH,
    access: "worker",
    maxBodyBytes: 0,
    async handle(_req, res, _params, principal) {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ ok: true, token: principal?.kind === "token" ? principal.name : null }));
    },
  },
];
