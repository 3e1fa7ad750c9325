// Who is calling, and what a route requires. Every HTTP route and socket event names one Access; the request gate and
// the socket middlewares check it in one place.

/** `api` tokens use the REST API; `worker` tokens speak only the worker protocol (socket, artifact and dataset transfer). */
export type TokenScope = "api" | "worker";

export type Principal =
  | { kind: "session"; userId: string; email: string; name: string }
  | { kind: "token"; tokenId: string; scope: TokenScope; name: string };

/**
 * - `public`: anyone (login, health's liveness answer);
 * - `read`: a session or an api token (or anyone with SWEEPBOARD_PUBLIC_READ=1);
 * - `write`: a session (with the CSRF checks) or an api token;
 * - `session`: a signed-in user only (account and token management);
 * - `worker`: a worker token only.
 */
export type Access = "public" | "read" | "write" | "session" | "worker";
