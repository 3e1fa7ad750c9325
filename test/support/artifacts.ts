// Helpers for artifact tests and the artifact benchmark: deterministic content that is generated, never held
// whole, and the server's resident memory, measured at its peak.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";

/** `bytes` of pseudo-random content (incompressible, like float weights), produced piece by piece from a seed. */
export async function* generated(bytes: number, seed = 1, pieceBytes = 256 * 1024): AsyncGenerator<Buffer> {
  let state = seed >>> 0 || 1;
  for (let done = 0; done < bytes; ) {
    // Unpooled, so the buffer starts on a word boundary for the word view.
    const piece = Buffer.allocUnsafeSlow(Math.min(pieceBytes, bytes - done));
    const words = new Uint32Array(piece.buffer, piece.byteOffset, piece.length >>> 2);
    for (let i = 0; i < words.length; i++) {
      // xorshift32: fast, and every word differs, so neither the database nor the zip can compress it.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[i] = state;
    }
    for (let i = words.length * 4; i < piece.length; i++) piece[i] = i & 0xff;
    done += piece.length;
    yield piece;
  }
}

/** Collects a (small) stream into one buffer. */
export async function bytesOf(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const pieces: Uint8Array[] = [];
  for await (const piece of source) pieces.push(piece);
  return Buffer.concat(pieces);
}

export async function sha256Of(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of source) hash.update(chunk);
  return hash.digest("hex");
}

/** Tracks this process's peak RSS from now on: the kernel's high-water mark when it can be reset (Linux,
 *  /proc/self/clear_refs), else sampling every few milliseconds (which can miss a short spike). */
export function trackPeakRss(): { stop(): number } {
  const resettable = resetHighWaterMark();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return resettable ? Math.max(peak, highWaterMark() ?? 0) : peak;
    },
  };
}

function resetHighWaterMark(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return highWaterMark() !== null;
  } catch {
    return false;
  }
}

function highWaterMark(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** The sha256 and size of one stored (not deflated) entry of a zip file on disk, read from its central directory
 *  and hashed from the file in a stream: how a test checks a downloaded model without loading it. */
export async function storedZipEntry(path: string, name: string): Promise<{ sha256: string; bytes: number }> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const tailBytes = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailBytes);
    await file.read(tail, 0, tailBytes, size - tailBytes);
    const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (end < 0) throw new Error(`${path}: no end of central directory (not a zip, or a zip64 one)`);
    const entries = tail.readUInt16LE(end + 10);
    const directory = Buffer.alloc(tail.readUInt32LE(end + 12));
    await file.read(directory, 0, directory.length, tail.readUInt32LE(end + 16));
    for (let at = 0, i = 0; i < entries; i++) {
      const nameLength = directory.readUInt16LE(at + 28);
      const entryName = directory.toString("utf8", at + 46, at + 46 + nameLength);
      if (entryName === name) {
        if (directory.readUInt16LE(at + 10) !== 0) throw new Error(`${name} is compressed in ${path}`);
        const bytes = directory.readUInt32LE(at + 24);
        const local = Buffer.alloc(30);
        await file.read(local, 0, 30, directory.readUInt32LE(at + 42));
        const start = directory.readUInt32LE(at + 42) + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
        const sha256 = bytes === 0 ? createHash("sha256").digest("hex") : await sha256Of(file.createReadStream({ start, end: start + bytes - 1, autoClose: false }));
        return { sha256, bytes };
      }
      at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    }
    throw new Error(`${path} has no entry ${name}`);
  } finally {
    await file.close();
  }
}
