// Sends the fuzz generator's requests to a running server (node:http, so the request target goes out byte for byte:
// fetch would normalise percent-encoding and refuse some methods) and tallies what came back: statuses, 5xx with
// the request that caused them, and what each 2xx answer created, for the "nothing refused was stored" checks.
import { Agent, request as httpRequest } from "node:http";
import { COOKIE_PREFIX, CSRF_COOKIE, CSRF_HEADER } from "../../server/http/cookie-names";
import { createRng } from "./fuzz-values";
import { generateRequest, type Credential, type FuzzContext, type FuzzRequest } from "./fuzz";

export interface Credentials {
  apiToken: string;
  workerToken: string;
  /** Cookie header of a signed-in admin, with the CSRF cookie, and that cookie's value. */
  session: { cookie: string; csrf: string };
}

export interface HttpOutcome {
  status: number;
  /** A network error instead of an answer (the connection reset, a timeout). */
  error?: string;
  ms: number;
  /** The start of the answer's body. */
  preview: string;
}

export interface Offender {
  request: string;
  status: number;
  answer: string;
}

/** What the accepted writes made, by the shape of their answers (robust to path variants that reach the route). */
export interface Created {
  sweeps: number;
  models: Set<string>;
  tokens: number;
  users: number;
  revokedTokens: Set<string>;
  artifacts: number;
}

export interface HttpFuzzReport {
  requests: number;
  histogram: Record<string, number>;
  serverErrors: number;
  firstServerErrors: Offender[];
  networkErrors: number;
  firstNetworkErrors: Offender[];
  created: Created;
  elapsedMs: number;
  requestsPerSecond: number;
  /** 5xx by the generator's template, to see where they cluster. */
  serverErrorsByTemplate: Record<string, number>;
  /** Requests and mean milliseconds per template: where the server's time goes. */
  byTemplate: Record<string, { requests: number; mean_ms: number }>;
  slowest: { request: string; status: number; ms: number }[];
}

const PREVIEW = 300;
const BAD_AUTHORIZATION = ["Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", `Bearer ${"x".repeat(300)}`, "Bearer a b", "bearer sb_api_%ff", "Bearer \xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", "Token abc"];
const BAD_SESSION_COOKIES = ["%ff", "x".repeat(4000), "a.b.c", "\xff\xfe", "", "=;=;", "abc.def%3D", "%E0%A4%A", '"quoted"', "s:abc.xyz"];

/** One line for a report: method, target, credential, content type and the start of the body. */
export function describeRequest(r: FuzzRequest): string {
  const body = r.body === undefined ? "" : typeof r.body === "string" ? r.body : `<${r.body.length} bytes: ${r.body.subarray(0, 16).toString("hex")}>`;
  const bytes = r.body === undefined ? 0 : Buffer.byteLength(r.body);
  const shown = body.length > 200 ? `${JSON.stringify(body.slice(0, 200))}… (${bytes} B)` : JSON.stringify(body);
  const target = r.path.length > 200 ? `${r.path.slice(0, 200)}… (${r.path.length} chars)` : r.path;
  return `${r.method} ${target} [${r.kind}; ${r.credential}${r.contentType !== undefined ? `; ${r.contentType}` : ""}${r.chunked ? "; chunked" : ""}] body=${shown}`;
}

function headersFor(r: FuzzRequest, url: string, creds: Credentials): Record<string, string> {
  const headers: Record<string, string> = {};
  const auth: Partial<Record<Credential, string>> = { api: creds.apiToken, worker: creds.workerToken, bogus: "sb_api_" + "0".repeat(43) };
  if (auth[r.credential]) headers.authorization = `Bearer ${auth[r.credential]}`;
  if (r.credential === "session") Object.assign(headers, { cookie: creds.session.cookie, origin: url, [CSRF_HEADER]: creds.session.csrf });
  // Chosen from the request's own text, so the sequence stays the generator's.
  const variant = r.path.length + (r.body?.length ?? 0);
  if (r.credential === "bad-auth") headers.authorization = BAD_AUTHORIZATION[variant % BAD_AUTHORIZATION.length];
  if (r.credential === "bad-cookie") {
    const value = BAD_SESSION_COOKIES[variant % BAD_SESSION_COOKIES.length];
    Object.assign(headers, { cookie: `${COOKIE_PREFIX}.session_token=${value}; ${CSRF_COOKIE}=${creds.session.csrf}`, origin: url, [CSRF_HEADER]: creds.session.csrf });
  }
  if (r.contentType !== undefined) headers["content-type"] = r.contentType;
  if (r.body !== undefined && !r.chunked) headers["content-length"] = String(Buffer.byteLength(r.body));
  // Named explicitly: Node's client frames a DELETE's or OPTIONS' body as chunked only when told, and would otherwise
  // send it bare, where the server rightly reads it as the next request.
  if (r.body !== undefined && r.chunked) headers["transfer-encoding"] = "chunked";
  return headers;
}

export function sendRequest(url: string, agent: Agent, r: FuzzRequest, creds: Credentials, timeoutMs = 60_000, retried = false): Promise<HttpOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Omit<HttpOutcome, "ms">) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, ms: performance.now() - started });
    };
    let req;
    try {
      // host/port/path rather than a URL string: a URL would be normalised (dot segments, percent-encoding) first.
      const { hostname, port } = new URL(url);
      req = httpRequest({ hostname, port, path: r.path, method: r.method, agent, headers: headersFor(r, url, creds), timeout: timeoutMs });
    } catch (error) {
      // Node's client refused to send it (a character it will not put in a request line): nothing reached the server.
      return done({ status: -1, error: (error as Error).message, preview: "" });
    }
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const wantAll = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300 && r.method !== "GET";
      res.on("data", (chunk: Buffer) => {
        if (wantAll || kept < PREVIEW) chunks.push(chunk);
        kept += chunk.length;
      });
      res.on("end", () => done({ status: res.statusCode ?? 0, preview: Buffer.concat(chunks).toString("utf8", 0, wantAll ? undefined : PREVIEW) }));
      res.on("error", (error) => done({ status: res.statusCode ?? 0, error: error.message, preview: "" }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed as this request went out: Node's documented race, not an answer
      // of the server's. Sent again once on a fresh connection.
      if (req.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE") && retried === false) {
        settled = true;
        return void sendRequest(url, agent, r, creds, timeoutMs, true).then(resolve);
      }
      done({ status: 0, error: error.message, preview: "" });
    });
    if (r.body === undefined) return void req.end();
    if (r.chunked) {
      const half = Math.floor(r.body.length / 2);
      req.write(r.body.slice(0, half));
      req.end(r.body.slice(half));
    } else req.end(r.body);
  });
}

function emptyCreated(): Created {
  return { sweeps: 0, models: new Set(), tokens: 0, users: 0, revokedTokens: new Set(), artifacts: 0 };
}

/** Counts what a 2xx answer to a write made, from its JSON. */
function account(created: Created, r: FuzzRequest, o: HttpOutcome): void {
  if (o.status < 200 || o.status >= 300 || r.method === "GET" || r.method === "HEAD") return;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(o.preview) as Record<string, unknown>;
  } catch {
    return;
  }
  if (typeof body !== "object" || body === null) return;
  const keys = Object.keys(body).sort().join(",");
  if (o.status === 201 && keys === "id") created.sweeps++;
  else if (o.status === 201 && keys === "modelId") created.models.add(String(body.modelId));
  else if (keys === "summary,token") created.tokens++;
  else if (keys === "user" || (keys === "email" && r.path.startsWith("/api/setup")) || (r.template === "auth" && "user" in body)) created.users++;
  else if (keys === "revoked") created.revokedTokens.add(String(body.revoked));
  else if (keys === "bytes,sha256" && o.status === 201) created.artifacts++;
}

export interface HttpFuzzOptions {
  url: string;
  seed: number;
  count: number;
  ctx: FuzzContext;
  creds: Credentials;
  /** Requests in flight at once. */
  concurrency?: number;
  keepOffenders?: number;
  /** Called for every answer (the benchmark samples RSS with it). */
  onOutcome?: (index: number, r: FuzzRequest, o: HttpOutcome) => void;
}

export async function runHttpFuzz(options: HttpFuzzOptions): Promise<HttpFuzzReport> {
  const { url, count, ctx, creds } = options;
  const keep = options.keepOffenders ?? 5;
  const rng = createRng(options.seed);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 6 });
  const report: HttpFuzzReport = {
    requests: 0,
    histogram: {},
    serverErrors: 0,
    firstServerErrors: [],
    networkErrors: 0,
    firstNetworkErrors: [],
    created: emptyCreated(),
    elapsedMs: 0,
    requestsPerSecond: 0,
    serverErrorsByTemplate: {},
    byTemplate: {},
    slowest: [],
  };
  const started = performance.now();
  let next = 0;
  // Requests are generated in order from one PRNG: the sequence does not depend on how answers interleave.
  const lane = async () => {
    while (next < count) {
      const index = next++;
      const r = generateRequest(rng, ctx);
      const o = await sendRequest(url, agent, r, creds);
      report.requests++;
      const key = o.error && o.status <= 0 ? (o.status < 0 ? "client-refused" : "network-error") : String(o.status);
      report.histogram[key] = (report.histogram[key] ?? 0) + 1;
      if (o.status >= 500) {
        report.serverErrors++;
        report.serverErrorsByTemplate[r.template] = (report.serverErrorsByTemplate[r.template] ?? 0) + 1;
        if (report.firstServerErrors.length < keep) report.firstServerErrors.push({ request: describeRequest(r), status: o.status, answer: o.preview.slice(0, PREVIEW) });
      }
      if (o.status === 0) {
        report.networkErrors++;
        if (report.firstNetworkErrors.length < keep) report.firstNetworkErrors.push({ request: describeRequest(r), status: 0, answer: o.error ?? "" });
      }
      account(report.created, r, o);
      const t = (report.byTemplate[r.template] ??= { requests: 0, mean_ms: 0 });
      t.mean_ms += (o.ms - t.mean_ms) / ++t.requests;
      if (report.slowest.length < 5 || o.ms > report.slowest[4].ms) {
        report.slowest = [...report.slowest, { request: describeRequest(r).slice(0, 300), status: o.status, ms: Math.round(o.ms) }].sort((a, b) => b.ms - a.ms).slice(0, 5);
      }
      options.onOutcome?.(index, r, o);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 6 }, lane));
  agent.destroy();
  report.elapsedMs = Math.round(performance.now() - started);
  report.requestsPerSecond = Math.round((report.requests / report.elapsedMs) * 1000 * 10) / 10;
  for (const t of Object.values(report.byTemplate)) t.mean_ms = Math.round(t.mean_ms);
  return report;
}
