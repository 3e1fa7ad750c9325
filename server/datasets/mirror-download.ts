// Downloads one file from the first mirror that serves the exact bytes expected. Bytes stream to a temporary file
// beside the destination while they are hashed; only a verified file is renamed into place (atomic on one file
// system), so a crash, a truncated transfer or a wrong file never leaves something that looks downloaded.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { identityMismatch, type FileIdentity } from "./file-identity";

export interface DownloadRequest {
  /** Names the file in log lines and errors. */
  label: string;
  /** Full URLs, tried in order until one serves an accepted file. */
  urls: readonly string[];
  destination: string;
  /** The identities an accepted file may have (any one). */
  accept: readonly FileIdentity[];
  log: (line: string) => void;
  /** Give up on a mirror that sends nothing for this long (default 30 s). */
  idleTimeoutMs?: number;
}

const MB = 1024 * 1024;
const megabytes = (bytes: number) => (bytes / MB).toFixed(1);
const PROGRESS_INTERVAL_MS = 1000;

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch() reports network failures as "fetch failed" with the useful part (ENOTFOUND, ECONNREFUSED…) as the cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return error.message + cause;
}

/** Streams `url` into `file`, returning what arrived; refuses more than `maxBytes` (a wrong or hostile mirror). */
async function fetchToFile(url: string, file: string, maxBytes: number, request: DownloadRequest): Promise<FileIdentity> {
  const idleMs = request.idleTimeoutMs ?? 30_000;
  const controller = new AbortController();
  let idle = setTimeout(() => controller.abort(new Error(`no data for ${idleMs / 1000} s`)), idleMs);
  const handle = await open(file, "wx");
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    const announced = Number(response.headers.get("content-length"));
    if (announced > maxBytes) throw new Error(`the mirror announces ${announced} bytes, more than the ${maxBytes} expected`);
    const total = announced > 0 ? announced : maxBytes;
    const hash = createHash("sha256");
    const reader = response.body.getReader();
    let received = 0;
    let lastProgress = Date.now();
    const progress = () => request.log(`${request.label}: ${megabytes(received)} / ${megabytes(total)} MB (${Math.floor((100 * received) / total)}%)`);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(new Error(`no data for ${idleMs / 1000} s`)), idleMs);
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        throw new Error(`more than the ${maxBytes} bytes expected`);
      }
      hash.update(value);
      await handle.write(value);
      if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = Date.now();
        progress();
      }
    }
    progress();
    return { bytes: received, sha256: hash.digest("hex") };
  } finally {
    clearTimeout(idle);
    await handle.close();
  }
}

/** Downloads and verifies the file, returning the URL it came from; throws with every mirror's failure. */
export async function downloadVerified(request: DownloadRequest): Promise<string> {
  if (request.urls.length === 0) throw new Error(`${request.label}: no mirrors to download from`);
  await mkdir(path.dirname(request.destination), { recursive: true });
  const maxBytes = Math.max(...request.accept.map((identity) => identity.bytes));
  const failures: string[] = [];
  for (const url of request.urls) {
    const temporary = `${request.destination}.${process.pid}-${randomBytes(4).toString("hex")}.part`;
    try {
      request.log(`${request.label}: downloading ${url}`);
      const received = await fetchToFile(url, temporary, maxBytes, request);
      if (!request.accept.some((identity) => identity.bytes === received.bytes && identity.sha256 === received.sha256)) {
        throw new Error(`checksum mismatch: ${identityMismatch("the download", received, request.accept)}`);
      }
      await rename(temporary, request.destination);
      return url;
    } catch (error) {
      await rm(temporary, { force: true });
      failures.push(`${url}: ${reason(error)}`);
      request.log(`${request.label}: ${url} failed (${reason(error)})${url === request.urls.at(-1) ? "" : "; trying the next mirror"}`);
    }
  }
  throw new Error(`${request.label}: every mirror failed (${failures.join("; ")})`);
}
