// Server errors carry a code that maps to an HTTP status; internal details are logged, never sent to clients.
export type ErrorCode = "invalid" | "unauthorized" | "not_found" | "conflict" | "unavailable" | "internal";

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = "AppError";
  }
  get status(): number {
    return STATUS[this.code];
  }
}
