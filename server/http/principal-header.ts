// The principal the request gate authenticated, as route handlers and server components read it back.
import type { Principal } from "./access";

export const PRINCIPAL_HEADER = "x-sweepboard-principal";

export function encodePrincipal(principal: Principal): string {
  return Buffer.from(JSON.stringify(principal)).toString("base64url");
}

/** Only the gate sets this header (it deletes any a client sent), so its content is trusted. */
export function decodePrincipal(value: string | null | undefined): Principal | null {
  if (!value) return null;
  try {
    return JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Principal;
  } catch {
    return null;
  }
}
