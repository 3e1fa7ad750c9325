// The decoded image cache: a round trip, every way a cache file can be wrong, and Fashion-MNIST decoded once per
// machine (a second process reads the cache instead of parsing the IDX files).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { readDecodedCache, writeDecodedCache, type ImageSet } from "../../../server/datasets/decoded-cache";
import { sha256Hex } from "../../../server/datasets/file-identity";
import { isolateResolverEnv, tempDir } from "../../support/fashion-mnist-files";

isolateResolverEnv();
const root = tempDir("decoded-cache");

const imageSet = (count: number, seed: number): ImageSet => ({
  images: Uint8Array.from({ length: count * 6 }, (_, i) => (i * seed) % 256),
  labels: Uint8Array.from({ length: count }, (_, i) => (i + seed) % 10),
  count,
  height: 2,
  width: 3,
});

describe("decoded cache file", () => {
  const sets = { train: imageSet(5, 7), test: imageSet(3, 11) };
  const file = path.join(root, "sets", "decoded-k.bin");

  it("reads back what was written, as plain Uint8Arrays", async () => {
    await writeDecodedCache(file, "k", sets);
    const read = await readDecodedCache(file, "k");
    expect(read).toEqual({ sets });
    if (!("sets" in read)) throw new Error("unreachable");
    expect(Object.getPrototypeOf(read.sets.train.images)).toBe(Uint8Array.prototype);
  });

  it("reports a missing file, and refuses one built for other files, truncated, corrupted or not a cache", async () => {
    await writeDecodedCache(file, "k", sets);
    const good = readFileSync(file);
    expect(await readDecodedCache(path.join(root, "nothing.bin"), "k")).toEqual({ missing: true });
    expect(await readDecodedCache(file, "other")).toEqual({ invalid: "built from other files (k)" });
    writeFileSync(file, good.subarray(0, good.length - 1));
    expect(await readDecodedCache(file, "k")).toEqual({ invalid: expect.stringMatching(/truncated/) });
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1] ^= 1;
    writeFileSync(file, flipped);
    expect(await readDecodedCache(file, "k")).toEqual({ invalid: "checksum mismatch" });
    writeFileSync(file, "hello");
    expect(await readDecodedCache(file, "k")).toEqual({ invalid: "not a Sweepboard image cache" });
  });
});

/** A fresh copy of the loader (no in-process cache) that counts IDX files parsed. */
async function freshLoader() {
  vi.resetModules();
  const parsed: string[] = [];
  vi.doMock("../../../server/datasets/idx", async (importOriginal) => {
    const real = await importOriginal<typeof import("../../../server/datasets/idx")>();
    return { ...real, readIdxFile: (file: string) => (parsed.push(path.basename(file)), real.readIdxFile(file)) };
  });
  const { loadFashionMnist } = await import("../../../server/datasets/fashion-mnist");
  vi.doUnmock("../../../server/datasets/idx");
  return { loadFashionMnist, parsed };
}

describe("Fashion-MNIST decoded once", () => {
  const options = { systemDir: null, cacheDir: path.join(root, "home-datasets"), mirrors: [], log: () => {} };
  const cacheFile = path.join(options.cacheDir, "fashion-mnist", "decoded-official.bin");
  const timed = async <T>(run: () => Promise<T>) => {
    const started = performance.now();
    return { value: await run(), ms: Math.round(performance.now() - started) };
  };

  it("parses the IDX files on the first load only; later processes read the cache, and a damaged cache is rebuilt", async () => {
    const first = await freshLoader();
    const { value: decoded, ms: firstMs } = await timed(() => first.loadFashionMnist(options));
    expect(first.parsed).toHaveLength(4);
    expect(readFileSync(cacheFile).length).toBe(54_950_243);
    await first.loadFashionMnist(options);
    expect(first.parsed).toHaveLength(4); // the same process: from memory

    const second = await freshLoader();
    const { value: cached, ms: cachedMs } = await timed(() => second.loadFashionMnist(options));
    expect(second.parsed).toEqual([]);
    expect([cached.train.count, cached.test.count]).toEqual([60000, 10000]);
    expect(sha256Hex(cached.train.images)).toBe(sha256Hex(decoded.train.images));
    expect(sha256Hex(cached.test.labels)).toBe(sha256Hex(decoded.test.labels));
    console.log(`Fashion-MNIST load from the shipped copy: first (decode + write cache) ${firstMs} ms, from the decoded cache ${cachedMs} ms`);

    const bytes = readFileSync(cacheFile);
    bytes[bytes.length - 100] ^= 1;
    writeFileSync(cacheFile, bytes);
    const lines: string[] = [];
    const third = await freshLoader();
    const rebuilt = await third.loadFashionMnist({ ...options, log: (line) => void lines.push(line) });
    expect(third.parsed).toHaveLength(4);
    expect(lines[0]).toBe(`${cacheFile}: checksum mismatch; decoding Fashion-MNIST again`);
    expect(sha256Hex(rebuilt.test.labels)).toBe(sha256Hex(decoded.test.labels));
    expect("sets" in (await readDecodedCache(cacheFile, "official"))).toBe(true);
  });
});
