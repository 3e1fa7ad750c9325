// A seeded generator of hostile HTTP requests (every route of the route table) and socket messages (every worker and
// dashboard event). Same seed, same context: same sequence, so a failure found by the fuzz test or the benchmark can
// be replayed. Bodies are built as text, so they can hold what JSON.stringify cannot write: 1e309, duplicate keys,
// `__proto__` as a key, nesting deeper than a recursive serializer survives, invalid JSON and invalid UTF-8.
import { EXAMPLE_SWEEP, tinySweep } from "./sweeps";
import type { RouteEntry } from "./route-table";
import { hostileDocument, hostileSegment, hostileText, HOSTILE_NUMBERS, randomJson, type Rng } from "./fuzz-values";

export { createRng, mulberry32, type Rng } from "./fuzz-values";

/** `bogus`: a well-formed token nobody issued; `bad-auth`: a malformed Authorization header; `bad-cookie`: a forged
 *  or mangled session cookie (with Origin and a CSRF token, as a page would send). */
export type Credential = "api" | "worker" | "session" | "none" | "bogus" | "bad-auth" | "bad-cookie";

export interface FuzzRequest {
  method: string;
  /** The raw request target, sent as is (percent-encoding and all). */
  path: string;
  /** Where it came from, for reports: `POST /api/sweeps` or `page`. */
  template: string;
  /** The generator's name for what makes it hostile. */
  kind: string;
  credential: Credential;
  contentType?: string;
  body?: string | Buffer;
  /** Sent with Transfer-Encoding: chunked (no Content-Length). */
  chunked?: boolean;
}

/** Real ids the fuzz may aim at (never the api token's own id: revoking it would end the run). */
export interface FuzzContext {
  routes: readonly RouteEntry[];
  sweepIds: readonly string[];
  trialIds: readonly string[];
  modelIds: readonly string[];
  /** Tokens that may be revoked. */
  tokenIds: readonly string[];
  /** Uploaded artifacts. */
  blobs: readonly string[];
}

const UUID_ZERO = "00000000-0000-4000-8000-000000000000";
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND"];
const CONTENT_TYPES = [
  "text/plain",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/jsonp",
  "application/json;;;",
  "",
];
const INVALID_JSON = ["{", '{"a":}', "NaN", '{"x": NaN}', "Infinity", "-Infinity", "{'a':1}", "[1,]", '{"a":1}garbage', "", "undefined", '{"a":"\\x"}', '{"a":"\\ud800', '"\\u12"', "\u0000", "\ufeff{}"];
const PAGES = ["/", "/models", "/settings", "/sweeps/new", "/login", "/setup", "/sweeps/:id", "/favicon.ico", "/_next/static/%ff", "/nope/%E0%A4%A"];
const QUERIES = ["since=%ff", "since=-1", "since=0", "since=abc", "since=%00", "since=%ed%a0%80", "since=1&since=2", "since=1e308", "since=" + "9".repeat(400), "%", "a=%E0%A4%A", "since=", "since=%F0%9F%98%80", "since=__proto__", "x=" + "y".repeat(7000)];

/** One request for a chosen route: mostly its own method and a body built for it, with the hostile part varied. */
export function generateRequest(rng: Rng, ctx: FuzzContext): FuzzRequest {
  const roll = rng.next();
  if (roll < 0.03) return pageRequest(rng, ctx);
  if (roll < 0.05) return authRequest(rng);
  const route = rng.pick(ctx.routes);
  const method = rng.chance(0.12) ? rng.pick(METHODS) : route.method;
  const { path, kind: pathKind } = concretePath(rng, route.template, ctx);
  const query = rng.chance(route.template.endsWith("/changes") ? 0.6 : 0.08) ? "?" + rng.pick(QUERIES) : "";
  const credential = credentialFor(rng, route);
  const request: FuzzRequest = { method, path: path + query, template: `${route.method} ${route.template}`, kind: pathKind + (query ? "+query" : ""), credential };
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return request;
  // Raw bytes above ASCII in the request line are refused by Node's HTTP parser itself (400, connection closed)
  // before any of our code: a body sent behind them only races that close.
  if (/[^\x21-\x7e]/.test(request.path)) return request;
  return withBody(rng, request, route.template, ctx);
}

function credentialFor(rng: Rng, route: RouteEntry): Credential {
  if (rng.chance(0.06)) return rng.pick(["none", "bogus", "api", "worker", "bad-auth", "bad-cookie"] as const);
  if (route.access === "worker") return "worker";
  if (route.access === "session") return "session";
  return "api";
}

function concretePath(rng: Rng, template: string, ctx: FuzzContext): { path: string; kind: string } {
  let kind = "real";
  const path = template.replace(/\[(\w+)\]|:(\w+)/g, (_m, a?: string, b?: string) => {
    const name = a ?? b!;
    if (rng.chance(0.3)) {
      kind = "hostile-segment";
      return hostileSegment(rng);
    }
    if (name === "action") return rng.chance(0.85) ? rng.pick(["pause", "resume", "stop"]) : rng.pick(["PAUSE", "start", "delete", "analysis", "__proto__", "constructor", "toString"]);
    if (name === "sha256") return rng.chance(0.5) && ctx.blobs.length ? rng.pick(ctx.blobs) : rng.pick(["a".repeat(64), "A".repeat(64), "a".repeat(63), "g".repeat(64), "0".repeat(64)]);
    const pool = template.startsWith("/api/trials") ? ctx.trialIds : template.startsWith("/api/models") ? ctx.modelIds : template.startsWith("/api/tokens") ? ctx.tokenIds : ctx.sweepIds;
    if (pool.length && rng.chance(0.6)) return rng.pick(pool);
    kind = "random-id";
    // Another kind's real id (a trial id as a sweep id...), a random uuid, or the wrong case.
    const other = [...ctx.sweepIds, ...ctx.trialIds, ...ctx.modelIds];
    if (other.length && rng.chance(0.4)) return rng.chance(0.5) ? rng.pick(other) : rng.pick(other).toUpperCase();
    return rng.chance(0.5) ? randomUuid(rng) : UUID_ZERO;
  });
  return { path, kind };
}

function randomUuid(rng: Rng): string {
  const hex = (n: number) => Array.from({ length: n }, () => rng.int(16).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${rng.pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
}

function withBody(rng: Rng, request: FuzzRequest, template: string, ctx: FuzzContext): FuzzRequest {
  const contentType = rng.chance(0.1) ? rng.pick(CONTENT_TYPES) : "application/json";
  const out: FuzzRequest = { ...request, contentType: contentType || undefined };
  if (rng.chance(0.03)) out.chunked = true;
  const roll = rng.next();
  if (roll < 0.1) return { ...out, kind: out.kind + "+invalid-json", body: rng.chance(0.2) ? Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) : rng.pick(INVALID_JSON) };
  if (roll < 0.2) return { ...out, kind: out.kind + "+random-json", body: randomJson(rng) };
  if (roll < 0.22) return { ...out, kind: out.kind + "+oversized", body: `{"name":"${"x".repeat(1024 * 1024 + rng.int(1000))}"}` };
  if (template === "/api/sweeps" || (template.startsWith("/api/sweeps") && roll < 0.3)) {
    const doc = hostileDocument(rng, rng.chance(0.5) ? structuredClone(EXAMPLE_SWEEP) : tinySweep({ name: `fuzz-${rng.int(1e6)}` }));
    return { ...out, kind: out.kind + "+" + doc.kind, body: doc.text };
  }
  if (template === "/api/sweeps/[id]" || template === "/api/sweeps/[id]/[action]") return { ...out, kind: out.kind + "+budget", body: budgetEdit(rng) };
  if (template.startsWith("/api/tokens")) return { ...out, kind: out.kind + "+token", body: tokenBody(rng) };
  if (template === "/api/users" || template === "/api/setup") return { ...out, kind: out.kind + "+account", body: accountBody(rng, template === "/api/setup") };
  if (template.startsWith("/api/worker/artifacts")) return { ...out, contentType: rng.pick(["application/octet-stream", "application/json", ""]) || undefined, kind: out.kind + "+blob", body: blobBody(rng) };
  return { ...out, kind: out.kind + "+random-json", body: randomJson(rng) };
}

/** PATCH bodies: the budget fields with extreme, retyped and extra values. */
function budgetEdit(rng: Rng): string {
  const fields = ["concurrency", "max_trials", "max_minutes", "target_value", "max_consecutive_failures", "priority", "__proto__", "constructor"];
  const values = [...HOSTILE_NUMBERS, "null", '"3"', "true", "[]", "{}", '"\\u0000"', "1", "2", "64", "65", "10000", "10001"];
  const entries = Array.from({ length: 1 + rng.int(3) }, () => `"${rng.pick(fields)}":${rng.pick(values)}`);
  const budget = `{${entries.join(",")}}`;
  if (rng.chance(0.1)) return rng.pick([budget, `{"budget":${budget},"budget":{}}`, `{"budget":${budget},"extra":1}`, `{"budget":null}`, `{"budget":[${budget}]}`]);
  return `{"budget":${budget}}`;
}

function tokenBody(rng: Rng): string {
  const name = rng.chance(0.5) ? JSON.stringify(hostileText(rng)) : JSON.stringify(`fuzz-${rng.int(1000)}`);
  const scope = rng.pick(['"api"', '"worker"', '"admin"', "null", "1", '"API"', '"api\\u0000"']);
  return rng.pick([`{"name":${name},"scope":${scope}}`, `{"name":${name}}`, `{"name":${name},"scope":${scope},"extra":true}`, `{"scope":${scope}}`]);
}

function accountBody(rng: Rng, setup: boolean): string {
  const email = rng.pick(['"a@b.test"', '"not-an-email"', '"a\\u0000@b.test"', '"\\ud800@b.test"', JSON.stringify(`${"x".repeat(300)}@b.test`), "1", "null", JSON.stringify(`fuzz${rng.int(1e6)}@sweepboard.test`)]);
  const name = JSON.stringify(hostileText(rng));
  const password = rng.pick(['"short"', '"correct horse battery staple"', JSON.stringify("p".repeat(5000)), '"pass\\u0000word-long-enough"', "123456789012"]);
  const token = setup ? `,"token":${rng.pick(['"x"', '""', JSON.stringify("t".repeat(300)), '"\\u0000"', "null"])}` : "";
  return `{"email":${email},"name":${name},"password":${password}${token}}`;
}

function blobBody(rng: Rng): string | Buffer {
  return rng.chance(0.5) ? Buffer.alloc(rng.int(4096), rng.int(256)) : randomJson(rng);
}

function pageRequest(rng: Rng, ctx: FuzzContext): FuzzRequest {
  const page = rng.pick(PAGES);
  const id = rng.chance(0.5) && ctx.sweepIds.length ? rng.pick(ctx.sweepIds) : hostileSegment(rng);
  const query = rng.chance(0.3) ? "?" + rng.pick(QUERIES) : "";
  return { method: rng.chance(0.9) ? "GET" : rng.pick(METHODS), path: page.replace(":id", id) + query, template: "page", kind: "page", credential: rng.chance(0.9) ? "api" : "none" };
}

/** better-auth's endpoints are not in the route table (the gate hands them over whole): a few hostile calls, never
 *  with the fuzz's session (a sign-out would end it). */
function authRequest(rng: Rng): FuzzRequest {
  const path = rng.pick(["/api/auth/sign-in/email", "/api/auth/get-session", "/api/auth/sign-out", "/api/auth/%ff", "/api/auth/" + "x".repeat(3000), "/api/auth/sign-up/email", "/api/auth/__proto__"]);
  const method = rng.chance(0.7) ? "POST" : rng.pick(METHODS);
  const base: FuzzRequest = { method, path, template: "auth", kind: "auth", credential: rng.pick(["none", "api"] as const) };
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return base;
  return { ...base, contentType: "application/json", body: rng.chance(0.5) ? accountBody(rng, false) : randomJson(rng) };
}
