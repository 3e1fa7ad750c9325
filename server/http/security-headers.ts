// Headers on every response: no framing (the stop button cannot be clickjacked), no MIME sniffing, no referrer to
// other sites, and a content security policy that allows only this origin's scripts, styles and sockets.
import type { ServerResponse } from "node:http";

function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    // Next's App Router inlines its flight data as scripts; the dev server also evaluates modules.
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function setSecurityHeaders(res: ServerResponse, dev: boolean): void {
  res.setHeader("content-security-policy", contentSecurityPolicy(dev));
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "same-origin");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  res.setHeader("cross-origin-resource-policy", "same-origin");
  res.setHeader("permissions-policy", "camera=(), microphone=(), geolocation=()");
}
