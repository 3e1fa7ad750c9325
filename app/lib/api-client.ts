// fetch wrappers for the app's own API: JSON in, JSON out, errors as ApiError with the server's field errors.
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

export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    cache: "no-store",
    ...init,
    headers: { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}), ...init?.headers },
  });
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  throw toApiError(response.status, body);
}

export function postJson<T>(url: string, body?: unknown): Promise<T> {
  return requestJson<T>(url, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });
}

function toApiError(status: number, body: unknown): ApiError {
  const payload = (body ?? {}) as { error?: unknown; errors?: unknown };
  const fieldErrors = Array.isArray(payload.errors) ? (payload.errors as FieldError[]) : [];
  const message =
    typeof payload.error === "string"
      ? payload.error
      : fieldErrors.length
        ? fieldErrors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ")
        : `request failed with status ${status}`;
  return new ApiError(status, message, fieldErrors);
}
