// Next 16 hands a route handler's headers to Node as arrays (`content-type: ["application/json"]`). Next's own
// compression middleware then finds the type "not compressible" and sends every JSON response uncompressed (pages
// are fine). Unwrapping single-value arrays for Content-Type lets it gzip API responses as it does pages.
import type { ServerResponse } from "node:http";

export function unwrapContentTypeArrays(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => {
    const single = Array.isArray(value) && value.length === 1 && name.toLowerCase() === "content-type" ? value[0] : value;
    return setHeader(name, single);
  };
}
