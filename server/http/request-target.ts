// The request line's path, decoded segment by segment (routes and access rules match the decoded path, as Next
// does). Malformed percent-encoding, NUL and lone surrogates are a 400 here, before any route sees them (Next answers
// some of them with a 500).
import { isStorableText } from "../sweeps/input-limits";

export type Target = { ok: true; path: string } | { ok: false; error: string };

const MAX_URL_LENGTH = 8192;

export function parseTarget(url: string | undefined): Target {
  if (!url || !url.startsWith("/")) return { ok: false, error: "the request target must be a path" };
  if (url.length > MAX_URL_LENGTH) return { ok: false, error: `the URL is longer than ${MAX_URL_LENGTH} characters` };
  const [rawPath, query = ""] = splitOnce(url, "?");
  // An encoded slash would change which route a decoded path names.
  if (/%2f|%5c/i.test(rawPath)) return { ok: false, error: "encoded slashes are not allowed in the path" };
  let path: string;
  try {
    path = rawPath.split("/").map((segment) => decodeURIComponent(segment)).join("/");
    // The query is decoded by whoever reads it; it must at least decode.
    for (const part of query.split("&")) decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    return { ok: false, error: "malformed percent-encoding in the URL" };
  }
  // A lone surrogate or a NUL can be neither stored (PostgreSQL text) nor safely logged.
  if (!isStorableText(path) || !isStorableText(safeDecode(query))) return { ok: false, error: "the URL contains a NUL or an unpaired surrogate" };
  return { ok: true, path };
}

function splitOnce(value: string, separator: string): [string, string?] {
  const at = value.indexOf(separator);
  return at < 0 ? [value] : [value.slice(0, at), value.slice(at + 1)];
}

const safeDecode = (query: string) => decodeURIComponent(query.replace(/\+/g, " "));
