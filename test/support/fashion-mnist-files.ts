// Fixtures for the Fashion-MNIST resolver tests: copies of the shipped files in temporary folders, the official
// release's encoding of them, and an environment without the variables that steer the resolver.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach } from "vitest";
import { FASHION_MNIST, FASHION_MNIST_SHIPPED_DIR, FASHION_MNIST_SYSTEM_DIR } from "../../server/datasets/fashion-mnist";
import { IDX_FILE_KEYS } from "../../server/datasets/idx-dataset";

export const GZ_NAMES = IDX_FILE_KEYS.map((key) => FASHION_MNIST.files[key].name + ".gz");

/** Debian's package, where installed. CI installs it (.ci/run): there a test that needs it must run, not skip. */
export const DEBIAN_INSTALLED = existsSync(path.join(FASHION_MNIST_SYSTEM_DIR, GZ_NAMES[0]));
export const SKIP_WITHOUT_DEBIAN = !DEBIAN_INSTALLED && process.env.CI !== "true";
if (SKIP_WITHOUT_DEBIAN) console.warn(`skipping the comparisons with Debian's dataset-fashion-mnist: ${FASHION_MNIST_SYSTEM_DIR} is not installed`);

/** A temporary folder, removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `sweepboard-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `dir` (created) holding links to the shipped files, all or the named ones. */
export function linkShipped(dir: string, names: readonly string[] = GZ_NAMES): string {
  mkdirSync(dir, { recursive: true });
  for (const name of names) symlinkSync(path.join(FASHION_MNIST_SHIPPED_DIR, name), path.join(dir, name));
  return dir;
}

// The official release's gzip headers: FNAME set, the files' mtimes (2017-08-31), no extra flags, OS=Unix. Debian's
// copies carry the same deflate streams after a 10-byte header without the name.
const RELEASE_MTIME: Record<string, number> = { train: 0x59a7e9de, t10k: 0x59a7e9f3 };

/** The bytes the official mirrors serve for `name`, rebuilt from the shipped (Debian) copy. */
export function officialReleaseBytes(name: string): Buffer {
  const debian = readFileSync(path.join(FASHION_MNIST_SHIPPED_DIR, name));
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x08, 0, 0, 0, 0, 0x00, 0x03]);
  header.writeUInt32LE(RELEASE_MTIME[name.split("-")[0]], 4);
  return Buffer.concat([header, Buffer.from(name.replace(/\.gz$/, "") + "\0", "latin1"), debian.subarray(10)]);
}

const STEERING = ["SWEEPBOARD_DATA_DIR", "SWEEPBOARD_HOME", FASHION_MNIST.mirrorsEnv, FASHION_MNIST.systemDirEnv];

/** Each test starts without the resolver's environment variables; whatever they were is restored after it. */
export function isolateResolverEnv(): void {
  const saved = new Map<string, string | undefined>();
  beforeEach(() => {
    for (const name of STEERING) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}
