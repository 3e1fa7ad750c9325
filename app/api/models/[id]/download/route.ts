import { Readable } from "node:stream";
import { getServices } from "@/server/services";
import { withErrors, type IdContext } from "../../../_lib/respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withErrors(async (_request: Request, { params }: IdContext) => {
  const { id } = await params;
  // Streamed as it is zipped (no content-length: the size is known only at the end); weights can be gigabytes.
  const { filename, stream } = await getServices().models.download(id);
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": contentDisposition(filename),
      "cache-control": "no-store",
    },
  });
});

/** An ASCII fallback for old clients plus the exact name (RFC 6266 / 5987). */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
