// fetch wrappers for the app's own API: JSON in, JSON out, errors as ApiError with the server's field errors.
import { CSRF_COOKIE, CSRF_HEADER } from "@/server/http/cookie-names";
import type { FieldError } from "@/server/sweeps/sweep-document";

export type { FieldError };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}


/** The server's double-submit CSRF cookie (set on every page load). */
export function csrfToken(): string {
  if (typeof document === "undefined") return "";
  const entry = document.cookie.split(";").map((c) => c.trim()).find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return entry ? entry.slice(CSRF_COOKIE.length + 1) : "";
}

export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  const write = (init?.method ?? "GET").toUpperCase() !== "GET";
  const response = await fetch(url, {
    cache: "no-store",
    ...init,
    // Writes are JSON (the server refuses any other type with 415) and carry the CSRF token.
    headers: { accept: "application/json", ...(write ? { "content-type": "application/json", [CSRF_HEADER]: csrfToken() } : {}), ...init?.headers },
  });
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  throw toApiError(response.status, body);
}

export function postJson<T>(url: string, body?: unknown): Promise<T> {
  return requestJson<T>(url, { method: "POST", body: JSON.stringify(body ?? {}) });
}

function toApiError(status: number, body: unknown): ApiError {
  // Our routes answer { error } or { errors }; better-auth's answer { message }.
  const payload = (body ?? {}) as { error?: unknown; errors?: unknown; message?: unknown };
  const fieldErrors = Array.isArray(payload.errors) ? (payload.errors as FieldError[]) : [];
  const message =
    typeof payload.error === "string"
      ? payload.error
      : typeof payload.message === "string"
        ? payload.message
        : fieldErrors.length
          ? fieldErrors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ")
          : `request failed with status ${status}`;
  return new ApiError(status, message, fieldErrors);
}
