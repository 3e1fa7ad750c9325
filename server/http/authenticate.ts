// Who a request (HTTP or a socket's handshake) comes from: a bearer token (api or worker scope) or a session cookie.
import type { IncomingHttpHeaders } from "node:http";
import { fromNodeHeaders } from "better-auth/node";
import type { Accounts } from "../auth/accounts";
import type { TokenStore } from "../auth/token-store";
import type { Access, Principal } from "./access";
import { COOKIE_PREFIX } from "./cookie-names";

export interface Authenticator {
  principal(headers: IncomingHttpHeaders): Promise<Principal | null>;
  /** null when allowed, else the status and message to answer with. */
  check(access: Access, principal: Principal | null): { status: 401 | 403; error: string } | null;
}

const SESSION_COOKIE = new RegExp(`(^|;\\s*)(__Secure-)?${COOKIE_PREFIX}\\.session_token=`);

export function createAuthenticator(options: { accounts: Accounts; tokens: TokenStore; publicRead: boolean }): Authenticator {
  return {
    async principal(headers) {
      const authorization = headers.authorization;
      if (authorization !== undefined) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
        return match ? options.tokens.authenticate(match[1]) : null;
      }
      if (!headers.cookie || !SESSION_COOKIE.test(headers.cookie)) return null;
      const user = await options.accounts.sessionUser(fromNodeHeaders(headers));
      return user ? { kind: "session", ...user } : null;
    },
    check(access, principal) {
      if (access === "public") return null;
      if (access === "read" && options.publicRead && (principal === null || principal.kind === "session" || principal.scope === "api")) return null;
      if (!principal) return { status: 401, error: access === "worker" ? "a worker token is required (Authorization: Bearer …)" : "sign in, or send an API token (Authorization: Bearer …)" };
      const allowed =
        access === "worker"
          ? principal.kind === "token" && principal.scope === "worker"
          : access === "session"
            ? principal.kind === "session"
            : principal.kind === "session" || principal.scope === "api";
      if (allowed) return null;
      const needs = access === "worker" ? "a worker token" : access === "session" ? "a signed-in user" : "a signed-in user or an api token";
      return { status: 403, error: `this route needs ${needs}; ${principal.kind === "token" ? `a ${principal.scope} token` : "a session"} cannot use it` };
    },
  };
}
