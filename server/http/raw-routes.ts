// Routes the custom server answers itself, before Next: streaming uploads and downloads (artifacts, datasets) and the
// auth endpoints. Each declares who may call it; the request gate (request-gate.ts) enforces that before `handle`
// runs, so a route cannot forget its check.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Access, Principal } from "./access";

export interface RawRoute {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** A path template: literal segments and `:name` parameters, e.g. "/api/worker/artifacts/:sha256". */
  path: string;
  access: Access;
  /** The largest request body accepted (bytes); the gate answers 413 beyond it. 0: no body. */
  maxBodyBytes: number;
  handle(req: IncomingMessage, res: ServerResponse, params: Record<string, string>, principal: Principal | null): Promise<void>;
}

/** Matches a decoded path against a template; null when it does not match. */
export function matchPath(template: string, path: string): Record<string, string> | null {
  const want = template.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) {
      if (!got[i]) return null;
      params[want[i].slice(1)] = got[i];
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

export function findRawRoute(routes: readonly RawRoute[], method: string, path: string): { route: RawRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method && !(method === "HEAD" && route.method === "GET")) continue;
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}
