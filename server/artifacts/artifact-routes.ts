// Workers upload a trained model's weights here before reporting the trial complete, and (remote workers, later)
// fetch blobs back. Raw routes of the custom server: bodies stream straight into the store. The request gate has
// checked the worker token and the declared Content-Length before `handle` runs; a chunked body's size is only
// known while it streams, so the store enforces the limit itself.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { RawRoute } from "../http/raw-routes";
import { ArtifactError, SHA256_HEX, type ArtifactStore } from "./artifact-store";

export const ARTIFACT_PATH = "/api/worker/artifacts/:sha256";
export const artifactUrl = (serverUrl: string, sha256: string) => `${serverUrl}/api/worker/artifacts/${sha256}`;

export function artifactRoutes(store: ArtifactStore, maxBytes: number): RawRoute[] {
  return [
    {
      method: "PUT",
      path: ARTIFACT_PATH,
      access: "worker",
      maxBodyBytes: maxBytes,
      async handle(req, res, { sha256 }) {
        if (!SHA256_HEX.test(sha256)) return refuse(req, res, 400, "an artifact is named by its sha256: 64 lowercase hex digits");
        const declared = Number(req.headers["content-length"] ?? NaN);
        if (declared > maxBytes) return refuse(req, res, 413, `the artifact is larger than the limit of ${maxBytes} bytes`);
        try {
          // Not destroyed when the store stops reading early: the refusal must still reach the uploader.
          const stored = await store.put(req.iterator({ destroyOnReturn: false }), { sha256, maxBytes });
          send(res, stored.created ? 201 : 200, { sha256: stored.sha256, bytes: stored.bytes });
        } catch (error) {
          if (error instanceof ArtifactError) return refuse(req, res, error.status, error.message);
          // The uploader went away mid-body: nobody is left to answer.
          if (req.destroyed && !req.complete) return;
          throw error;
        }
      },
    },
    {
      method: "GET",
      path: ARTIFACT_PATH,
      access: "worker",
      maxBodyBytes: 0,
      async handle(req, res, { sha256 }) {
        if (!SHA256_HEX.test(sha256)) return send(res, 400, { error: "an artifact is named by its sha256: 64 lowercase hex digits" });
        const found = await store.stat(sha256);
        if (!found) return send(res, 404, { error: "no such artifact" });
        const headers = {
          "content-type": "application/octet-stream",
          "content-length": String(found.bytes),
          etag: `"${sha256}"`,
          // Content-addressed: the bytes behind a name never change.
          "cache-control": "private, max-age=31536000, immutable",
        };
        if (req.method === "HEAD") return void res.writeHead(200, headers).end();
        const body = await store.open(sha256);
        if (!body) return send(res, 404, { error: "no such artifact" });
        res.writeHead(200, headers);
        // A reader that hangs up ends the pipeline early; that is not a server error.
        await pipeline(body, res).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "ERR_STREAM_PREMATURE_CLOSE") throw error;
        });
      },
    },
  ];
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store" }).end(text);
}

/** How long the rest of a refused body is read (and dropped) before the connection is cut. */
const LINGER_MS = 2_000;

/** Answers a refusal while the body may still be arriving. Closing at once would reset the connection under the
 *  uploader, whose unread answer can be lost with it (it would see a network error, and retry); so the rest of the
 *  body is read and dropped for a moment (a lingering close), and then the connection is cut. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  if (res.headersSent) return void res.destroy();
  send(res, status, { error });
  if (req.complete || req.destroyed) return;
  const cut = setTimeout(() => req.destroy(), LINGER_MS);
  cut.unref();
  req.once("close", () => clearTimeout(cut));
  req.resume();
}
