// Content-addressed blobs (model weights now, datasets later). Everything streams: a blob is never held whole in
// memory, and never passed to the database as one parameter (PGlite encodes a bytea parameter as one JS string per
// byte, which is what used to OOM-kill the server on a 100 MB model).
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { BlobRef } from "../training/types";

export type { BlobRef };

/** A sha256 as the store names blobs: 64 lowercase hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** What a put reads: a request, a file stream, an async generator, or (small blobs, tests) an array of buffers. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface PutOptions {
  /** What the content must hash to; checked while streaming, and nothing is kept when it does not. */
  sha256: string;
  /** The most bytes accepted; the put fails as soon as the stream goes past it. */
  maxBytes: number;
}

export interface ArtifactStore {
  readonly kind: "disk" | "database";
  /** Streams `source` in. Idempotent: putting a blob that is already stored verifies it and keeps the stored copy
   *  (`created: false`). Throws ArtifactError (bad_hash, mismatch, too_large); on any failure nothing is left. */
  put(source: ByteSource, options: PutOptions): Promise<BlobRef & { created: boolean }>;
  stat(sha256: string): Promise<BlobRef | null>;
  has(sha256: string): Promise<boolean>;
  /** A byte stream of the blob, read piece by piece; null when it is not stored. */
  open(sha256: string): Promise<Readable | null>;
  /** True when there was something to delete. */
  delete(sha256: string): Promise<boolean>;
}

export type ArtifactErrorCode = "bad_hash" | "mismatch" | "too_large";

const STATUS: Record<ArtifactErrorCode, number> = { bad_hash: 400, mismatch: 400, too_large: 413 };

/** A refusal caused by the input (never a server fault): maps to a 4xx. */
export class ArtifactError extends Error {
  constructor(
    readonly code: ArtifactErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ArtifactError";
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new ArtifactError("bad_hash", "an artifact is named by its sha256: 64 lowercase hex digits");
}

/** Wraps a source so that it hashes and counts what passes through, and fails past `maxBytes` (before the chunk
 *  that crosses the limit reaches the store). Call `verify()` after the last chunk. */
export function metered(source: ByteSource, options: PutOptions): { chunks: AsyncIterable<Uint8Array>; verify(): BlobRef } {
  assertSha256(options.sha256);
  const hash = createHash("sha256");
  let bytes = 0;
  let done = false;
  return {
    chunks: (async function* () {
      for await (const chunk of source) {
        bytes += chunk.byteLength;
        if (bytes > options.maxBytes) throw new ArtifactError("too_large", `the artifact is larger than the limit of ${options.maxBytes} bytes`);
        hash.update(chunk);
        yield chunk;
      }
      done = true;
    })(),
    verify() {
      if (!done) throw new Error("metered: verify() before the source ended");
      const sha256 = hash.digest("hex");
      if (sha256 !== options.sha256) throw new ArtifactError("mismatch", `the content's sha256 is ${sha256}, not ${options.sha256}`);
      return { sha256, bytes };
    },
  };
}

/** Regroups a stream's pieces into chunks of exactly `size` bytes (the last one shorter). */
export async function* fixedChunks(source: ByteSource, size: number): AsyncIterable<Buffer> {
  let buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.byteLength) {
      const n = Math.min(size - filled, piece.byteLength - offset);
      buffer.set(piece.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === size) {
        yield buffer;
        buffer = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** Stores bytes already in memory (small artifacts, tests). */
export function putBytes(store: ArtifactStore, bytes: Uint8Array, maxBytes = bytes.byteLength): Promise<BlobRef & { created: boolean }> {
  return store.put([bytes], { sha256: sha256Hex(bytes), maxBytes });
}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
