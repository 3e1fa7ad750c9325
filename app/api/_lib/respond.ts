// The one place where route handlers turn results and errors into HTTP responses.
// Clients see AppError messages (written for them); anything else is logged and answered with a generic 500.

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

export function validationFailed(errors: FieldError[]): Response {
  return json({ errors }, 400);
}

export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    if (error.status === 400) return validationFailed(error.details?.length ? error.details : [{ path: "", message: error.message }]);
    if (error.status >= 500) console.error("[api]", error);
    return json({ error: error.message }, error.status);
  }
  console.error("[api] unexpected error", error);
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

export async function readJsonBody(request: Request): Promise<JsonBody> {
  try {
    return { ok: true, body: await request.json() };
  } catch {
    return { ok: false, response: validationFailed([{ path: "", message: "body is not valid JSON" }]) };
  }
}

/** The context Next passes to handlers of a `[id]` segment (params are a Promise since Next 15). */
export interface IdContext {
  params: Promise<{ id: string }>;
}
