// What a data file must be to be trusted: its exact size and SHA-256. Sizes are checked first, so a truncated file
// is named as such without hashing it.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

export interface FileIdentity {
  bytes: number;
  sha256: string;
}

export const sha256Hex = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** The identity of a file on disk, read in a stream (the largest dataset file is 26 MB; no need to hold it twice). */
export async function identifyFile(file: string): Promise<FileIdentity> {
  const { size } = await stat(file);
  const hash = createHash("sha256");
  // Large chunks: with the default 64 KiB ones, reading costs twice the hashing.
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return { bytes: size, sha256: hash.digest("hex") };
}

export const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean => a.bytes === b.bytes && a.sha256 === b.sha256;

/** Why `actual` is none of `expected` (truncated, too long, or different bytes), for an error that names the file. */
export function identityMismatch(file: string, actual: FileIdentity, expected: readonly FileIdentity[]): string {
  const sizes = [...new Set(expected.map((e) => e.bytes))];
  const wanted = expected.map((e) => `${e.bytes} bytes, sha256 ${e.sha256}`).join(" or ");
  const what = sizes.every((size) => actual.bytes < size)
    ? "truncated"
    : sizes.every((size) => actual.bytes > size)
      ? "too long"
      : "corrupted";
  return `${file} is ${what} (${actual.bytes} bytes, sha256 ${actual.sha256}; expected ${wanted})`;
}
