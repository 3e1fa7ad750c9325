// The one place where route handlers turn results and errors into HTTP responses.
// Clients see AppError messages (written for them); anything else is logged and answered with a generic 500.

import { describeReportFailure } from "../../../server/realtime/report-errors";
import { boundErrors, joinPath, truncateText, unstorableTextProblem, type PathPart } from "../../../server/sweeps/input-limits";
import type { FieldError } from "@/server/sweeps/sweep-document";

interface AppErrorLike {
  name: "AppError";
  status: number;
  message: string;
  details?: FieldError[];
}

/** Route handlers are bundled apart from the server, so `instanceof AppError` can fail: check the shape instead. */
export function isAppError(error: unknown): error is AppErrorLike {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as Partial<AppErrorLike>;
  return candidate.name === "AppError" && typeof candidate.status === "number" && Number.isInteger(candidate.status);
}

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

/** At most MAX_FIELD_ERRORS errors of bounded length: an error list must not grow with the input. */
export function validationFailed(errors: FieldError[]): Response {
  return json({ errors: boundErrors(errors) }, 400);
}

export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    if (error.status === 400) return validationFailed(error.details?.length ? error.details : [{ path: "", message: error.message }]);
    if (error.status >= 500) console.error("[api]", describeReportFailure(error));
    return json({ error: error.message }, error.status);
  }
  // Bounded and without the query's parameters: drizzle's error text quotes them (token hashes, password hashes).
  console.error("[api] unexpected error", describeReportFailure(error));
  return json({ error: "internal server error" }, 500);
}

/** Wraps a handler so every thrown error becomes a mapped response. */
export function withErrors<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export type JsonBody = { ok: true; body: unknown } | { ok: false; response: Response };

/** The parsed body, or a 400: not JSON, or text the database could never store (NUL, a lone surrogate) in any
 *  string or key. Checked here, at the edge, so no route's insert fails on it with a 500. */
export async function readJsonBody(request: Request): Promise<JsonBody> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { ok: false, response: validationFailed([{ path: "", message: "body is not valid JSON" }]) };
  }
  const unstorable = unstorableTextIn(body);
  return unstorable ? { ok: false, response: validationFailed([unstorable]) } : { ok: true, body };
}

/** The first string or key of `value` that PostgreSQL cannot store, with its path. Walks without recursion and
 *  builds a path only for the offender: a 1 MiB body may nest tens of thousands of levels deep. */
export function unstorableTextIn(value: unknown): FieldError | null {
  interface Node {
    value: unknown;
    parent: Node | null;
    part: PathPart | null;
  }
  const pathOf = (node: Node | null, last?: PathPart): string => {
    const parts: PathPart[] = last === undefined ? [] : [last];
    for (let at = node; at && at.part !== null; at = at.parent) parts.push(at.part);
    return truncateText(joinPath(parts.reverse()));
  };
  const stack: Node[] = [{ value, parent: null, part: null }];
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === "string") {
      const problem = unstorableTextProblem(v);
      if (problem) return { path: pathOf(node), message: problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: node, part: i });
    } else if (typeof v === "object" && v !== null) {
      const keys = Object.keys(v);
      for (const key of keys) {
        const problem = unstorableTextProblem(key);
        if (problem) return { path: pathOf(node, key), message: `the key ${problem}` };
      }
      // Pushed last to first, so values are visited in document order.
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (v as Record<string, unknown>)[keys[i]], parent: node, part: keys[i] });
    }
  }
  return null;
}

/** The context Next passes to handlers of a `[id]` segment (params are a Promise since Next 15). */
export interface IdContext {
  params: Promise<{ id: string }>;
}
