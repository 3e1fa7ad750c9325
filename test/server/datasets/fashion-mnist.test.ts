// Fashion-MNIST on a fresh machine: the copy the project ships is the official data, the resolver takes its
// sources in order, and a damaged copy is refused by name.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { identifyFile, sha256Hex } from "../../../server/datasets/file-identity";
import {
  FASHION_MNIST,
  FASHION_MNIST_SHIPPED_DIR,
  FASHION_MNIST_SYSTEM_DIR,
  loadFashionMnist,
  resolveFashionMnistFiles,
} from "../../../server/datasets/fashion-mnist";
import { IDX_FILE_KEYS } from "../../../server/datasets/idx-dataset";
import { parseIdx } from "../../../server/datasets/idx";
import { loadSplit } from "../../../server/datasets/split";
import { createTrainer } from "../../../server/training/trainer-client";
import { GZ_NAMES, isolateResolverEnv, linkShipped, officialReleaseBytes, SKIP_WITHOUT_DEBIAN, tempDir } from "../../support/fashion-mnist-files";

isolateResolverEnv();
const root = tempDir("fashion-mnist");
const emptyDir = path.join(root, "empty");
mkdirSync(emptyDir);
/** Only the shipped copy: no data dir, no system package, no cache, no network. */
const shippedOnly = { systemDir: emptyDir, cacheDir: null, mirrors: [] };

describe("the shipped copy", () => {
  it("has the recorded sizes and checksums, and decompresses to the recorded IDX contents", async () => {
    for (const key of IDX_FILE_KEYS) {
      const { name, gzip, content } = FASHION_MNIST.files[key];
      const file = path.join(FASHION_MNIST_SHIPPED_DIR, name + ".gz");
      expect(await identifyFile(file)).toEqual(gzip[1]);
      const idx = gunzipSync(readFileSync(file));
      expect({ bytes: idx.length, sha256: sha256Hex(idx) }).toEqual(content);
    }
    expect(readFileSync(path.join(FASHION_MNIST_SHIPPED_DIR, "LICENSE"), "utf8")).toMatch(/Zalando SE[\s\S]*MIT/);
  });

  it.skipIf(SKIP_WITHOUT_DEBIAN)("is byte-identical to Debian's dataset-fashion-mnist", () => {
    for (const name of GZ_NAMES) {
      expect(readFileSync(path.join(FASHION_MNIST_SHIPPED_DIR, name)).equals(readFileSync(path.join(FASHION_MNIST_SYSTEM_DIR, name))), name).toBe(true);
    }
  });

  it("is the official release: with the release's gzip header back, each file has Zalando's published MD5", () => {
    // MD5s from github.com/zalandoresearch/fashion-mnist (README); the mirrors serve these bytes.
    const published: Record<string, string> = {
      "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
      "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
      "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
      "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    };
    for (const key of IDX_FILE_KEYS) {
      const name = FASHION_MNIST.files[key].name + ".gz";
      const release = officialReleaseBytes(name);
      expect(createHash("md5").update(release).digest("hex"), name).toBe(published[name]);
      expect({ bytes: release.length, sha256: sha256Hex(release) }).toEqual(FASHION_MNIST.files[key].gzip[0]);
    }
  });
});

describe("resolution order", () => {
  const copies = {
    dataDir: linkShipped(path.join(root, "data", "fashion-mnist")),
    flatDataDir: linkShipped(path.join(root, "flat-data")),
    system: linkShipped(path.join(root, "system")),
    cache: linkShipped(path.join(root, "cache", "fashion-mnist")),
  };
  const cacheDir = path.join(root, "cache");

  it("takes SWEEPBOARD_DATA_DIR (its fashion-mnist/ folder, or itself), then the system path, then the shipped copy, then the cache", async () => {
    const resolve = (options: object) => resolveFashionMnistFiles({ cacheDir, mirrors: [], ...options }).then((r) => [r.source, r.dir, r.key]);
    process.env.SWEEPBOARD_DATA_DIR = path.join(root, "data");
    expect(await resolve({ systemDir: copies.system })).toEqual(["data-dir", copies.dataDir, "official"]);
    expect(await resolve({ dataDir: copies.flatDataDir, systemDir: copies.system })).toEqual(["data-dir", copies.flatDataDir, "official"]);
    delete process.env.SWEEPBOARD_DATA_DIR;
    expect(await resolve({ systemDir: copies.system })).toEqual(["system", copies.system, "official"]);
    expect(await resolve({ systemDir: emptyDir })).toEqual(["shipped", FASHION_MNIST_SHIPPED_DIR, "official"]);
    expect(await resolve({ systemDir: null, shippedDir: null })).toEqual(["cache", copies.cache, "official"]);
  });

  it("skips the system path when SWEEPBOARD_FASHION_MNIST_SYSTEM_DIR is empty (a machine without the package)", async () => {
    process.env[FASHION_MNIST.systemDirEnv] = "";
    expect((await resolveFashionMnistFiles({ cacheDir: null, mirrors: [] })).source).toBe("shipped");
    process.env[FASHION_MNIST.systemDirEnv] = copies.system;
    expect((await resolveFashionMnistFiles({ cacheDir: null, mirrors: [] })).dir).toBe(copies.system);
  });

  it("uses a data dir's own files as they are, uncompressed or not official, under a key of their own", async () => {
    const own = path.join(root, "own");
    mkdirSync(own);
    for (const name of GZ_NAMES) writeFileSync(path.join(own, name.replace(/\.gz$/, "")), gunzipSync(readFileSync(path.join(FASHION_MNIST_SHIPPED_DIR, name))));
    const lines: string[] = [];
    expect((await resolveFashionMnistFiles({ dataDir: own, cacheDir: null, log: (line) => lines.push(line) })).key).toBe("official");
    const labels = path.join(own, "t10k-labels-idx1-ubyte");
    const edited = readFileSync(labels);
    edited[8] = (edited[8] + 1) % 10;
    writeFileSync(labels, edited);
    expect((await resolveFashionMnistFiles({ dataDir: own, cacheDir: null, log: (line) => lines.push(line) })).key).toMatch(/^custom-[0-9a-f]{16}$/);
    expect(lines).toEqual([expect.stringContaining(`${own}: not the official Fashion-MNIST files`)]);
  });

  it("fails clearly when the files are nowhere, saying where it looked and how to get them", async () => {
    const options = { dataDir: emptyDir, systemDir: null, shippedDir: null, cacheDir: null };
    const error = /Fashion-MNIST not found \(looked in: .*empty.*\).*downloads are off.*apt-get install dataset-fashion-mnist.*SWEEPBOARD_DATA_DIR/s;
    await expect(resolveFashionMnistFiles(options)).rejects.toThrow(error);
    await expect(loadSplit({ name: "fashion-mnist", subset: 60, validationSplit: 0.1 }, 1, options)).rejects.toThrow(emptyDir);
  });
});

describe("checksums", () => {
  it("refuses a truncated or corrupted shipped file, naming it", async () => {
    const damaged = linkShipped(path.join(root, "damaged"), GZ_NAMES.filter((name) => !name.startsWith("train-labels")));
    const labels = path.join(damaged, "train-labels-idx1-ubyte.gz");
    const bytes = readFileSync(path.join(FASHION_MNIST_SHIPPED_DIR, "train-labels-idx1-ubyte.gz"));
    const options = { systemDir: null, shippedDir: damaged, cacheDir: null, mirrors: [], log: () => {} };
    writeFileSync(labels, bytes.subarray(0, 1000));
    await expect(loadFashionMnist(options)).rejects.toThrow(`${labels} is truncated (1000 bytes, sha256 ${sha256Hex(bytes.subarray(0, 1000))}; expected 29515 bytes`);
    const flipped = Buffer.from(bytes);
    flipped[5000] ^= 0x40;
    writeFileSync(labels, flipped);
    await expect(loadFashionMnist(options)).rejects.toThrow(`${labels} is corrupted (29491 bytes`);
    copyFileSync(path.join(FASHION_MNIST_SHIPPED_DIR, "train-labels-idx1-ubyte.gz"), labels);
    expect((await loadFashionMnist(options)).resolved.dir).toBe(damaged); // a failed load is not remembered
  });
});

describe("from the shipped copy alone", () => {
  it("loads the official split: 60,000 / 10,000 images, 6,000 / 1,000 per class, Debian's labels first", async () => {
    const data = await loadFashionMnist(shippedOnly);
    expect(data.resolved.source).toBe("shipped");
    expect([data.train.count, data.test.count, data.train.height, data.train.width]).toEqual([60000, 10000, 28, 28]);
    expect(data.train.images.length).toBe(60000 * 784);
    for (const [set, perClass] of [[data.train, 6000], [data.test, 1000]] as const) {
      const counts = new Array(10).fill(0);
      for (const label of set.labels) counts[label]++;
      expect(counts).toEqual(new Array(10).fill(perClass));
    }
    expect(Array.from(data.train.labels.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(data.test.labels.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
  });

  it.skipIf(SKIP_WITHOUT_DEBIAN)("decodes to exactly Debian's images and labels", async () => {
    const data = await loadFashionMnist(shippedOnly);
    const debian = (name: string) => parseIdx(readFileSync(path.join(FASHION_MNIST_SYSTEM_DIR, name)), name).data as Uint8Array;
    expect(sha256Hex(data.train.images)).toBe(sha256Hex(debian("train-images-idx3-ubyte.gz")));
    expect(sha256Hex(data.test.images)).toBe(sha256Hex(debian("t10k-images-idx3-ubyte.gz")));
    expect(Buffer.from(data.train.labels).equals(debian("train-labels-idx1-ubyte.gz"))).toBe(true);
    expect(Buffer.from(data.test.labels).equals(debian("t10k-labels-idx1-ubyte.gz"))).toBe(true);
  });

  it("trains in a trainer process that has no data dir, no system package and no mirrors, caching under its SWEEPBOARD_HOME", async () => {
    const home = path.join(root, "home");
    const trainer = createTrainer({
      env: { SWEEPBOARD_HOME: home, SWEEPBOARD_DATA_DIR: "", [FASHION_MNIST.systemDirEnv]: "", [FASHION_MNIST.mirrorsEnv]: "" },
    });
    try {
      const job = { trialId: "shipped-1", attempt: 0, sweepSeed: 3, trialSeed: 5, template: "cnn" as const, params: { epochs: 2, filters: 8, units: 32, batch_size: 16, learning_rate: 0.003 } };
      const valAccuracy: number[] = [];
      const result = await trainer.train({ ...job, dataset: { name: "fashion-mnist", subset: 600, validationSplit: 0.2 } }, (_, metrics) => void valAccuracy.push(metrics.val_accuracy));
      expect(result.epochsRun).toBe(2);
      expect(valAccuracy[1]).toBeGreaterThan(0.5);
      expect(result.artifact.metadata.dataset).toMatchObject({ testSplit: "official-test", testSubset: 100 });
      expect(existsSync(path.join(home, "datasets", "fashion-mnist", "decoded-official.bin"))).toBe(true);
    } finally {
      await trainer.dispose();
    }
  });
});
