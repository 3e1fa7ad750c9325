// The caller, as the request gate authenticated it (every route runs behind the gate; see server/http/request-gate.ts).
import type { Principal } from "@/server/http/access";
import { decodePrincipal, PRINCIPAL_HEADER } from "@/server/http/principal-header";

export function principalOf(request: Request): Principal | null {
  return decodePrincipal(request.headers.get(PRINCIPAL_HEADER));
}

/** The signed-in user's id, for records of who made what (null for token callers). */
export function userIdOf(request: Request): string | null {
  const principal = principalOf(request);
  return principal?.kind === "session" ? principal.userId : null;
}
