// Decoded image sets on disk, so a process reads raw pixels instead of gunzipping and parsing IDX files again.
// Layout: 8-byte magic, uint32 LE header length, a JSON header (the source key, each set's shape, the body's size
// and SHA-256), then each set's images and labels as raw uint8. A file that fails any check is ignored (and
// rebuilt by the caller); files are written under a temporary name and renamed, so readers never see half of one.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { sha256Hex } from "./file-identity";

/** Images as raw 0..255 bytes (row-major, one image after another) and their class indices. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

const MAGIC = Buffer.from("SWBIMG1\n", "latin1");
const PREFIX_BYTES = MAGIC.length + 4;

interface Header {
  key: string;
  sets: { name: string; count: number; height: number; width: number }[];
  bodyBytes: number;
  sha256: string;
}

const setBytes = (set: { count: number; height: number; width: number }) => set.count * set.height * set.width + set.count;

export async function writeDecodedCache(file: string, key: string, sets: Record<string, ImageSet>): Promise<void> {
  const parts = Object.values(sets).flatMap((set) => [set.images, set.labels]);
  const body = Buffer.concat(parts);
  const header: Header = {
    key,
    sets: Object.entries(sets).map(([name, { count, height, width }]) => ({ name, count, height, width })),
    bodyBytes: body.length,
    sha256: sha256Hex(body),
  };
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.part`;
  try {
    await writeFile(temporary, Buffer.concat([MAGIC, length, json, body]), { flag: "wx" });
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

export type DecodedCacheRead = { sets: Record<string, ImageSet> } | { missing: true } | { invalid: string };

/** Reads a cache file written for `key`; the sets are views into one buffer read from disk. */
export async function readDecodedCache(file: string, key: string): Promise<DecodedCacheRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { missing: true };
    return { invalid: (error as Error).message };
  }
  if (bytes.length < PREFIX_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { invalid: "not a Sweepboard image cache" };
  const headerEnd = PREFIX_BYTES + bytes.readUInt32LE(MAGIC.length);
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(PREFIX_BYTES, headerEnd).toString("utf8")) as Header;
  } catch {
    return { invalid: "unreadable header" };
  }
  if (header.key !== key) return { invalid: `built from other files (${header.key})` };
  const expected = header.sets.reduce((sum, set) => sum + setBytes(set), 0);
  if (header.bodyBytes !== expected || bytes.length !== headerEnd + expected) {
    return { invalid: `${bytes.length} bytes, expected ${headerEnd + expected} (truncated?)` };
  }
  const body = bytes.subarray(headerEnd);
  if (sha256Hex(body) !== header.sha256) return { invalid: "checksum mismatch" };
  // Plain Uint8Array views, not Buffers: Buffer#slice shares memory where Uint8Array#slice copies.
  const view = (start: number, length: number) => new Uint8Array(body.buffer, body.byteOffset + start, length);
  const sets: Record<string, ImageSet> = {};
  let offset = 0;
  for (const { name, count, height, width } of header.sets) {
    const pixels = count * height * width;
    sets[name] = {
      images: view(offset, pixels),
      labels: view(offset + pixels, count),
      count,
      height,
      width,
    };
    offset += pixels + count;
  }
  return { sets };
}
