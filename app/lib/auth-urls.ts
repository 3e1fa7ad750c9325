// Sign-in addresses (better-auth's endpoints under /api/auth) and where to go after signing in.
export const SIGN_IN_URL = "/api/auth/sign-in/email";
export const SIGN_OUT_URL = "/api/auth/sign-out";
export const SETUP_URL = "/api/setup";
export const TOKENS_URL = "/api/tokens";
export const USERS_URL = "/api/users";
export const tokenUrl = (id: string) => `/api/tokens/${encodeURIComponent(id)}`;

/** Only a path on this site: `next` comes from the URL, and an absolute URL there would be an open redirect. */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
