// The access rule of every HTTP path, in one table. API routes (app/api/**/route.ts) default to `read` for GET and
// `write` for everything else, so a new route is protected without doing anything; the exceptions are listed here.
// test/e2e/route-access.test.ts reads every app/api route file and calls each method against these rules.
import type { Access } from "./access";

interface Rule {
  /** A path template (`:name` matches one segment; a trailing `/*` any rest). */
  path: string;
  methods?: readonly string[];
  access: Access;
}

const API_RULES: readonly Rule[] = [
  // Liveness only, for load balancers and `npm start`'s own wait; the details need a session or token.
  { path: "/api/health", methods: ["GET", "HEAD"], access: "public" },
  { path: "/api/setup", methods: ["POST"], access: "public" },
  // better-auth's endpoints (sign-in, sign-out, session): rate-limited and Origin-checked by it and by the gate.
  { path: "/api/auth/*", access: "public" },
  { path: "/api/worker/*", access: "worker" },
  { path: "/api/tokens", access: "session" },
  { path: "/api/tokens/:id", access: "session" },
  { path: "/api/users", access: "session" },
];

const PUBLIC_PAGES = ["/login", "/setup", "/favicon.ico", "/_next/static/*"];

function matches(template: string, path: string): boolean {
  if (template.endsWith("/*")) return path.startsWith(template.slice(0, -1));
  const want = template.split("/");
  const got = path.split("/");
  return want.length === got.length && want.every((segment, i) => (segment.startsWith(":") ? got[i] !== "" : segment === got[i]));
}

export const isApiPath = (path: string) => path === "/api" || path.startsWith("/api/");

export function apiAccess(method: string, path: string): Access {
  for (const rule of API_RULES) if (matches(rule.path, path) && (!rule.methods || rule.methods.includes(method))) return rule.access;
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

/** Pages show sweeps and models: `read`, except the sign-in pages and static assets (no data in them). */
export function pageAccess(path: string): Access {
  return PUBLIC_PAGES.some((page) => matches(page, path)) ? "public" : "read";
}

export const isSafeMethod = (method: string) => method === "GET" || method === "HEAD" || method === "OPTIONS";
