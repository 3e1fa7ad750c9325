// The last resort: downloading Fashion-MNIST from the official mirrors, here a local HTTP server that serves the
// files from Debian's package (or the identical shipped copy), or damaged versions of them.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FASHION_MNIST, FASHION_MNIST_SHIPPED_DIR, FASHION_MNIST_SYSTEM_DIR, loadFashionMnist, resolveFashionMnistFiles } from "../../../server/datasets/fashion-mnist";
import { DEBIAN_INSTALLED, GZ_NAMES, isolateResolverEnv, officialReleaseBytes, tempDir } from "../../support/fashion-mnist-files";

isolateResolverEnv();
const root = tempDir("fashion-mnist-download");
const SOURCE_DIR = DEBIAN_INSTALLED ? FASHION_MNIST_SYSTEM_DIR : FASHION_MNIST_SHIPPED_DIR;
const original = (name: string) => readFileSync(path.join(SOURCE_DIR, name));

interface Mirror {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves `/datasets/<name>` with what `serve` returns: the bytes, or an HTTP status to fail with. */
async function startMirror(serve: (name: string) => Buffer | number = original): Promise<Mirror> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const name = path.posix.basename(request.url ?? "");
    requests.push(name);
    const body = GZ_NAMES.includes(name) ? serve(name) : 404;
    if (typeof body === "number") response.writeHead(body).end();
    else response.writeHead(200, { "content-type": "application/gzip", "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const mirror = { url: `http://127.0.0.1:${port}/datasets/`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  afterAll(() => (server.listening ? mirror.close() : undefined));
  return mirror;
}

/** Only the download is left: no data dir, no system package, no shipped copy; the cache in a fresh folder. */
function downloadOnly(name: string, mirrors: string[], lines: string[] = []) {
  return { systemDir: null, shippedDir: null, cacheDir: path.join(root, name), mirrors, log: (line: string) => void lines.push(line) };
}

const cachedFiles = (options: { cacheDir: string }) => {
  const dir = path.join(options.cacheDir, "fashion-mnist");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};

describe("download from the mirrors", () => {
  it("downloads, verifies and caches the four files with progress lines; later loads need no network", async () => {
    const mirror = await startMirror();
    const lines: string[] = [];
    const options = downloadOnly("ok", [mirror.url], lines);
    const data = await loadFashionMnist(options);
    expect(data.resolved.source).toBe("download");
    expect([data.train.count, data.test.count]).toEqual([60000, 10000]);
    expect(Array.from(data.train.labels.subarray(0, 5))).toEqual([9, 0, 0, 3, 0]);
    expect(mirror.requests.sort()).toEqual([...GZ_NAMES].sort());
    expect(cachedFiles(options)).toEqual(["decoded-official.bin", ...GZ_NAMES].sort()); // no .part left over
    for (const name of GZ_NAMES) expect(readFileSync(path.join(options.cacheDir, "fashion-mnist", name)).equals(original(name))).toBe(true);
    expect(lines).toContain(`Fashion-MNIST train-images-idx3-ubyte.gz: downloading ${mirror.url}train-images-idx3-ubyte.gz`);
    expect(lines).toContain("Fashion-MNIST train-images-idx3-ubyte.gz: 25.2 / 25.2 MB (100%)");

    await mirror.close();
    const again = await resolveFashionMnistFiles(options);
    expect([again.source, again.dir]).toEqual(["cache", path.join(options.cacheDir, "fashion-mnist")]);
  });

  it("accepts the official release's encoding, which is what the real mirrors serve", async () => {
    const mirror = await startMirror(officialReleaseBytes);
    const options = downloadOnly("release", [mirror.url]);
    expect((await resolveFashionMnistFiles(options)).source).toBe("download");
    for (const name of GZ_NAMES) expect(readFileSync(path.join(options.cacheDir, "fashion-mnist", name)).equals(officialReleaseBytes(name))).toBe(true);
  });

  it("refuses a corrupted, truncated or oversized download by checksum, and leaves nothing behind", async () => {
    const flipped = (name: string) => {
      const bytes = Buffer.from(original(name));
      bytes[bytes.length >> 1] ^= 0x01;
      return bytes;
    };
    const cases: [string, (name: string) => Buffer, RegExp][] = [
      ["flipped", flipped, /checksum mismatch: the download is corrupted \(26421856 bytes, sha256 [0-9a-f]{64}; expected 26421880 bytes/],
      ["truncated", (name) => original(name).subarray(0, 1000), /checksum mismatch: the download is truncated \(1000 bytes/],
      ["oversized", (name) => Buffer.concat([original(name), Buffer.alloc(100)]), /announces 26421956 bytes, more than the 26421880 expected/],
    ];
    for (const [label, serve, reason] of cases) {
      const mirror = await startMirror(serve);
      const options = downloadOnly(label, [mirror.url]);
      const failure = loadFashionMnist(options);
      await expect(failure).rejects.toThrow(/Fashion-MNIST not found .*Fashion-MNIST train-images-idx3-ubyte\.gz: every mirror failed/);
      await expect(failure).rejects.toThrow(reason);
      expect(cachedFiles(options)).toEqual([]);
    }
  });

  it("falls through failing mirrors (refused connection, HTTP 500, bad bytes) to one that works", async () => {
    const closed = await startMirror();
    await closed.close();
    const broken = await startMirror(() => 500);
    const corrupt = await startMirror((name) => original(name).subarray(1));
    const good = await startMirror();
    const lines: string[] = [];
    const options = downloadOnly("fallthrough", [closed.url, broken.url, corrupt.url, good.url], lines);
    expect((await resolveFashionMnistFiles(options)).source).toBe("download");
    expect(broken.requests).toHaveLength(4);
    expect(corrupt.requests).toHaveLength(4);
    expect(good.requests).toHaveLength(4);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`${closed.url}train-labels-idx1-ubyte.gz failed \\(fetch failed: .*ECONNREFUSED.*\\); trying the next mirror`)));
    expect(lines).toContain(`Fashion-MNIST train-labels-idx1-ubyte.gz: ${broken.url}train-labels-idx1-ubyte.gz failed (HTTP 500 Internal Server Error); trying the next mirror`);
  });

  it("downloads again a cached file that went bad, and only that file", async () => {
    const mirror = await startMirror();
    const lines: string[] = [];
    const options = downloadOnly("heal", [mirror.url], lines);
    await resolveFashionMnistFiles(options);
    const labels = path.join(options.cacheDir, "fashion-mnist", "t10k-labels-idx1-ubyte.gz");
    writeFileSync(labels, "not gzip");
    mirror.requests.length = 0;
    expect((await resolveFashionMnistFiles(options)).source).toBe("download");
    expect(mirror.requests).toEqual(["t10k-labels-idx1-ubyte.gz"]);
    expect(lines.filter((line) => line.startsWith(labels))).toEqual([expect.stringMatching(/ is truncated \(8 bytes, sha256 [0-9a-f]{64}; expected 5148 bytes, .*: not using it$/)]);
    expect(readFileSync(labels).equals(original("t10k-labels-idx1-ubyte.gz"))).toBe(true);
  });

  it("takes its mirror list from SWEEPBOARD_FASHION_MNIST_MIRRORS: several, none, or a clear error", async () => {
    const broken = await startMirror(() => 404);
    const good = await startMirror();
    const options = { ...downloadOnly("env", []), mirrors: undefined };
    process.env[FASHION_MNIST.mirrorsEnv] = `${broken.url}, ${good.url}`;
    expect((await resolveFashionMnistFiles(options)).source).toBe("download");
    expect(broken.requests).toHaveLength(4);
    process.env[FASHION_MNIST.mirrorsEnv] = "";
    await expect(resolveFashionMnistFiles({ ...options, cacheDir: path.join(root, "env-off") })).rejects.toThrow(
      "downloads are off (SWEEPBOARD_FASHION_MNIST_MIRRORS is empty)",
    );
    process.env[FASHION_MNIST.mirrorsEnv] = "ftp://example.org/";
    await expect(resolveFashionMnistFiles(options)).rejects.toThrow('SWEEPBOARD_FASHION_MNIST_MIRRORS: "ftp://example.org/" is not an http(s) URL');
  });
});
