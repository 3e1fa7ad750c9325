// Uploads a trained model's weights to the server's artifact store over HTTP (with the worker token), before the
// trial:complete report that names them: weights can be gigabytes and stay out of Socket.IO. Like emitUntilAcked,
// it retries until the server answers: network errors and 5xx are retried (the upload is idempotent, the blob is
// named by its hash), a 4xx is the server's final word.
import { createHash } from "node:crypto";
import { artifactUrl } from "../artifacts/artifact-routes";
import type { BlobRef } from "../training/types";

const SLICE_BYTES = 1 << 20;

export interface UploadOptions {
  serverUrl: string;
  token: string;
  /** First wait between tries; it doubles up to `maxRetryDelayMs`. */
  retryDelayMs: number;
  maxRetryDelayMs?: number;
  isCancelled: () => boolean;
  log?: (message: string) => void;
}

/** The server refused the upload (4xx): retrying would not help. */
export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "UploadRefused";
  }
}

export async function uploadWeights(weights: Uint8Array, options: UploadOptions): Promise<BlobRef> {
  const sha256 = createHash("sha256").update(weights).digest("hex");
  const url = artifactUrl(options.serverUrl, sha256);
  const maxDelay = options.maxRetryDelayMs ?? 10_000;
  for (let delay = options.retryDelayMs; ; delay = Math.min(delay * 2, maxDelay)) {
    if (options.isCancelled()) throw new Error("worker stopped");
    let problem: string;
    try {
      // `duplex` is required for a streamed body (Node's fetch; the DOM typing predates it).
      const init: RequestInit & { duplex: "half" } = {
        method: "PUT",
        headers: {
          authorization: `Bearer ${options.token}`,
          "content-type": "application/octet-stream",
          "content-length": String(weights.byteLength),
        },
        body: slices(weights),
        duplex: "half",
      };
      const response = await fetch(url, init);
      const text = await response.text();
      if (response.ok) return { sha256, bytes: weights.byteLength };
      const reason = `${response.status} ${errorOf(text) ?? response.statusText}`;
      if (response.status < 500 && response.status !== 408 && response.status !== 429) {
        throw new UploadRefused(response.status, `the server refused the model weights (${weights.byteLength} bytes): ${reason}`);
      }
      problem = reason;
    } catch (error) {
      if (error instanceof UploadRefused) throw error;
      problem = error instanceof Error ? error.message : String(error);
    }
    options.log?.(`uploading weights ${sha256.slice(0, 12)}… failed (${problem}); retrying in ${delay} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The weights as a stream of views into them: given the array itself, fetch copies it (twice, measured). */
function slices(weights: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= weights.byteLength) return controller.close();
      const end = Math.min(offset + SLICE_BYTES, weights.byteLength);
      controller.enqueue(weights.subarray(offset, end));
      offset = end;
    },
  });
}

function errorOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === "string" ? parsed.error : null;
  } catch {
    return body ? body.slice(0, 200) : null;
  }
}
