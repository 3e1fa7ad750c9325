// The HTTP route table as the access tests see it: every method exported by app/api/**/route.ts, and the custom
// server's own routes, each with the access rule the gate applies to it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PROJECT_ROOT } from "../../server/app-server";
import { artifactRoutes } from "../../server/artifacts/artifact-routes";
import type { ArtifactStore } from "../../server/artifacts/artifact-store";
import type { Access } from "../../server/http/access";
import { workerRoutes } from "../../server/http/worker-routes";
import { apiAccess } from "../../server/http/route-access";

export interface RouteEntry {
  method: string;
  /** e.g. /api/sweeps/[id]/[action] (Next) or /api/worker/artifacts/:sha256 (custom server). */
  template: string;
  /** A concrete URL path for the template. */
  path: string;
  access: Access;
  source: string;
}

const SAMPLE: Record<string, string> = { id: "00000000-0000-4000-8000-000000000000", action: "pause", sha256: "a".repeat(64) };
const METHODS = /export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return entry === "route.ts" ? [path] : [];
  });
}

export function nextApiRoutes(): RouteEntry[] {
  const root = join(PROJECT_ROOT, "app", "api");
  return routeFiles(root).flatMap((file) => {
    const segments = relative(root, file).split(sep).slice(0, -1);
    const template = `/api/${segments.join("/")}`;
    const path = `/api/${segments.map((s) => (/^\[(\w+)\]$/.test(s) ? SAMPLE[s.slice(1, -1)] : s)).join("/")}`;
    const methods = [...readFileSync(file, "utf8").matchAll(METHODS)].map((m) => m[1]);
    return methods.map((method) => ({ method, template, path, access: apiAccess(method, path), source: relative(PROJECT_ROOT, file) }));
  });
}

export function customServerRoutes(): RouteEntry[] {
  const routes = [...workerRoutes, ...artifactRoutes({} as ArtifactStore, 1)];
  return routes.map((r) => ({
    method: r.method,
    template: r.path,
    path: r.path.replace(/:(\w+)/g, (_m, name: string) => SAMPLE[name]),
    access: r.access,
    source: "server/http (raw route)",
  }));
}

export const allRoutes = (): RouteEntry[] => [...nextApiRoutes(), ...customServerRoutes()];
