// Every HTTP request passes here before any route (ours or Next's): security headers, a well-formed URL, an allowed
// Host, the route's access rule, CSRF checks on cookie-authenticated mutations, and body limits. Routes never see a
// request that failed one of these, so a new route is protected by construction.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AUTH_BASE_PATH, CLIENT_IP_HEADER } from "../auth/accounts";
import { CSRF_COOKIE, CSRF_HEADER } from "./cookie-names";
import type { Authenticator } from "./authenticate";
import type { HostAllowList } from "./host-allow-list";
import { findRawRoute, type RawRoute } from "./raw-routes";
import { encodePrincipal, PRINCIPAL_HEADER } from "./principal-header";
import { parseTarget } from "./request-target";
import { apiAccess, isApiPath, isSafeMethod, pageAccess } from "./route-access";
import { setSecurityHeaders } from "./security-headers";
import { unwrapContentTypeArrays } from "./compressible-headers";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** JSON bodies of API routes (sweep documents are the largest). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
const MAX_AUTH_BODY_BYTES = 16 * 1024;

export interface GateOptions {
  allowList: HostAllowList;
  authenticator: Authenticator;
  rawRoutes: readonly RawRoute[];
  /** better-auth's handler for /api/auth/*. */
  auth: Handler;
  next: Handler;
  dev: boolean;
  secureCookies: boolean;
  log: (message: string) => void;
}

export function createRequestGate(options: GateOptions): Handler {
  return (req, res) => {
    gate(options, req, res).catch((error: Error) => {
      options.log(`${req.method} ${req.url?.slice(0, 200)}: ${error.stack ?? error.message}`);
      if (res.headersSent) res.destroy();
      else reply(res, 500, "internal server error");
    });
  };
}

async function gate(o: GateOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  setSecurityHeaders(res, o.dev);
  for (const name of Object.keys(req.headers)) if (name.startsWith("x-sweepboard-")) delete req.headers[name];
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";

  const target = parseTarget(req.url);
  if (!target.ok) return reply(res, 400, target.error);
  if (!o.allowList.allowsHost(req.headers.host)) return reply(res, 421, "this server does not answer to that Host name (see SWEEPBOARD_ALLOWED_HOSTS)");
  const method = req.method ?? "GET";
  const path = target.path;
  const api = isApiPath(path);
  const raw = api ? findRawRoute(o.rawRoutes, method, path) : null;
  const access = raw ? raw.route.access : api ? apiAccess(method, path) : pageAccess(path);

  const origin = header(req, "origin");
  if (!isSafeMethod(method)) {
    // Browsers send Origin (and Sec-Fetch-Site) with every cross-site write; neither may name another site.
    if (origin !== undefined && !o.allowList.allowsOrigin(origin)) return reply(res, 403, "cross-site request refused (Origin)");
    if (header(req, "sec-fetch-site") === "cross-site") return reply(res, 403, "cross-site request refused (Sec-Fetch-Site)");
  }

  const principal = path.startsWith("/_next/static/") ? null : await o.authenticator.principal(req.headers);
  const denied = o.authenticator.check(access, principal);
  if (denied) {
    if (!api && isSafeMethod(method) && denied.status === 401) return redirect(res, `/login?next=${encodeURIComponent(req.url ?? "/")}`);
    return reply(res, denied.status, denied.error);
  }
  if (!isSafeMethod(method) && principal?.kind === "session") {
    // A cookie rides along with cross-site requests; these two checks make sure this page sent it.
    if (origin === undefined) return reply(res, 403, "a signed-in write needs an Origin header");
    if (!csrfTokenMatches(req)) return reply(res, 403, `missing or wrong CSRF token (send the ${CSRF_COOKIE} cookie's value as ${CSRF_HEADER})`);
  }

  if (raw) {
    const tooLarge = bodyTooLarge(req, raw.route.maxBodyBytes, false);
    if (tooLarge) return reply(res, tooLarge.status, tooLarge.error);
    return raw.route.handle(req, res, raw.params, principal);
  }
  if (api && !isSafeMethod(method)) {
    if (!isJson(header(req, "content-type"))) return reply(res, 415, "send the body as application/json");
    const tooLarge = bodyTooLarge(req, path.startsWith(AUTH_BASE_PATH + "/") ? MAX_AUTH_BODY_BYTES : MAX_JSON_BODY_BYTES, true);
    if (tooLarge) return reply(res, tooLarge.status, tooLarge.error);
  }
  if (path.startsWith(AUTH_BASE_PATH + "/")) return o.auth(req, res);
  if (!api && method === "GET") ensureCsrfCookie(req, res, o.secureCookies);
  if (principal) req.headers[PRINCIPAL_HEADER] = encodePrincipal(principal);
  unwrapContentTypeArrays(res);
  o.next(req, res);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(";")[0].trim().toLowerCase() === "application/json";
}

/** Content-Length is checked before a byte is read; a JSON route needs one (a chunked body's size is unknown). */
function bodyTooLarge(req: IncomingMessage, max: number, needLength: boolean): { status: 411 | 413; error: string } | null {
  const length = header(req, "content-length");
  if (length === undefined) return needLength && req.headers["transfer-encoding"] ? { status: 411, error: "send a Content-Length" } : null;
  const bytes = Number(length);
  if (!Number.isSafeInteger(bytes) || bytes < 0) return { status: 411, error: "malformed Content-Length" };
  return bytes > max ? { status: 413, error: `the body is larger than ${max} bytes` } : null;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function csrfTokenMatches(req: IncomingMessage): boolean {
  const cookie = cookieValue(req, CSRF_COOKIE);
  const sent = header(req, CSRF_HEADER);
  return cookie !== undefined && cookie.length >= 32 && sent === cookie;
}

/** The double-submit token: readable by this origin's scripts only, sent back in a header with every write. */
function ensureCsrfCookie(req: IncomingMessage, res: ServerResponse, secure: boolean): void {
  if ((cookieValue(req, CSRF_COOKIE)?.length ?? 0) >= 32) return;
  const token = randomBytes(32).toString("base64url");
  res.appendHeader("set-cookie", `${CSRF_COOKIE}=${token}; Path=/; SameSite=Strict${secure ? "; Secure" : ""}`);
}

function reply(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ error }));
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, "cache-control": "no-store" });
  res.end();
}
