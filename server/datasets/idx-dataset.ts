// A dataset published as four IDX files (train/test images and labels): where this process finds a faithful copy,
// and its decoded sets. Order: $SWEEPBOARD_DATA_DIR, the distribution's package, the copy the project ships, the
// copy downloaded earlier into the cache, a download from the official mirrors. The last three are trusted only
// when every file has a recorded size and SHA-256. Decoded pixels are cached on disk (once per machine) and in
// memory (once per process), so no trial ever gunzips or parses an IDX file.
import { existsSync } from "node:fs";
import path from "node:path";
import { sweepboardHome } from "../home";
import { readDecodedCache, writeDecodedCache, type ImageSet } from "./decoded-cache";
import { identifyFile, identityMismatch, sameIdentity, sha256Hex, type FileIdentity } from "./file-identity";
import { readIdxFile } from "./idx";
import { downloadVerified } from "./mirror-download";
import { boundedPromiseCache } from "./promise-cache";

export type { ImageSet } from "./decoded-cache";

export const IDX_FILE_KEYS = ["trainImages", "trainLabels", "testImages", "testLabels"] as const;
export type IdxFileKey = (typeof IDX_FILE_KEYS)[number];

export interface IdxFileSpec {
  /** Without `.gz`, e.g. `train-images-idx3-ubyte`. */
  name: string;
  /** The decompressed IDX bytes: what every faithful copy holds, however it was gzipped. */
  content: FileIdentity;
  /** The `.gz` encodings known to hold `content` (the official release's; a distribution's). */
  gzip: readonly FileIdentity[];
}

export interface IdxDatasetSpec {
  /** Folder name under SWEEPBOARD_DATA_DIR and the cache, e.g. `fashion-mnist`. */
  id: string;
  title: string;
  files: Record<IdxFileKey, IdxFileSpec>;
  classNames: readonly string[];
  systemDir: string;
  /** The environment variable that replaces `systemDir` (empty: skip it), e.g. to act as a machine without it. */
  systemDirEnv: string;
  /** The Debian package that installs `systemDir`. */
  systemPackage: string;
  shippedDir: string;
  /** Base URLs, each serving `<name>.gz`. */
  mirrors: readonly string[];
  /** The environment variable that replaces `mirrors` (comma-separated; empty: no downloads). */
  mirrorsEnv: string;
}

export interface DatasetLocationOptions {
  /** Overrides $SWEEPBOARD_DATA_DIR. */
  dataDir?: string;
  /** Overrides the system path (and its environment variable); null disables it (tests). */
  systemDir?: string | null;
  /** Overrides the copy shipped with the project; null disables it (tests). */
  shippedDir?: string | null;
  /** Downloads and decoded sets go under `<cacheDir>/<dataset id>/` (default $SWEEPBOARD_HOME/datasets); null: neither. */
  cacheDir?: string | null;
  /** Overrides the mirror list (and its environment variable); empty: no downloads. */
  mirrors?: readonly string[];
  /** Progress and warnings (default: the console). */
  log?: (line: string) => void;
}

export type IdxSource = "data-dir" | "system" | "shipped" | "cache" | "download";

export interface ResolvedIdxFiles {
  source: IdxSource;
  dir: string;
  files: Record<IdxFileKey, string>;
  /** `official` when every file is the official one (by checksum), else a digest of the files: names the decoded cache. */
  key: string;
}

export interface IdxDataset {
  train: ImageSet;
  test: ImageSet;
  classNames: string[];
  resolved: ResolvedIdxFiles;
}

export const OFFICIAL_KEY = "official";
const defaultLog = (line: string) => console.log(`[datasets] ${line}`);

interface Locations {
  dataDir: string | null;
  systemDir: string | null;
  shippedDir: string | null;
  cacheDir: string | null;
  mirrors: string[];
}

function mirrorsFromEnv(spec: IdxDatasetSpec): string[] {
  const raw = process.env[spec.mirrorsEnv];
  if (raw === undefined) return [...spec.mirrors];
  const urls = raw.split(/[\s,]+/).filter(Boolean);
  const bad = urls.find((url) => !/^https?:\/\//.test(url));
  if (bad) throw new Error(`${spec.mirrorsEnv}: "${bad}" is not an http(s) URL (give base URLs, comma-separated)`);
  return urls;
}

function locations(spec: IdxDatasetSpec, options: DatasetLocationOptions): Locations {
  const pick = (value: string | null | undefined, fallback: string) => (value === undefined ? fallback : value);
  return {
    dataDir: (options.dataDir ?? process.env.SWEEPBOARD_DATA_DIR) || null,
    systemDir: pick(options.systemDir, process.env[spec.systemDirEnv] ?? spec.systemDir) || null,
    shippedDir: pick(options.shippedDir, spec.shippedDir),
    cacheDir: pick(options.cacheDir, path.join(sweepboardHome(), "datasets")),
    mirrors: options.mirrors ? [...options.mirrors] : mirrorsFromEnv(spec),
  };
}

const fileMap = (spec: IdxDatasetSpec, name: (file: IdxFileSpec) => string) =>
  Object.fromEntries(IDX_FILE_KEYS.map((key) => [key, name(spec.files[key])])) as Record<IdxFileKey, string>;

/** All four files in `dir` (each `.gz` or plain), or null. */
function findAll(spec: IdxDatasetSpec, dir: string): Record<IdxFileKey, string> | null {
  const found = fileMap(spec, (file) => [file.name + ".gz", file.name].map((name) => path.join(dir, name)).find((p) => existsSync(p)) ?? "");
  return Object.values(found).every(Boolean) ? found : null;
}

const isOfficial = (file: IdxFileSpec, identity: FileIdentity) =>
  sameIdentity(identity, file.content) || file.gzip.some((known) => sameIdentity(identity, known));

/** Names a copy found as-is (it may be the official files, uncompressed or not, or the user's own). */
async function keyOf(spec: IdxDatasetSpec, files: Record<IdxFileKey, string>, log: (line: string) => void): Promise<string> {
  const identities = await Promise.all(IDX_FILE_KEYS.map((key) => identifyFile(files[key])));
  if (IDX_FILE_KEYS.every((key, i) => isOfficial(spec.files[key], identities[i]))) return OFFICIAL_KEY;
  log(`${path.dirname(files.trainImages)}: not the official ${spec.title} files (checksums differ); using them as they are`);
  return `custom-${sha256Hex(Buffer.from(identities.map((id) => `${id.bytes}:${id.sha256}`).join("\n"))).slice(0, 16)}`;
}

/** The `.gz` files of `dir` that are missing or fail their checksum; failures are reported in `problems`. */
async function unverified(spec: IdxDatasetSpec, dir: string, problems: string[], log: (line: string) => void): Promise<IdxFileKey[]> {
  const bad: IdxFileKey[] = [];
  for (const key of IDX_FILE_KEYS) {
    const file = path.join(dir, spec.files[key].name + ".gz");
    if (!existsSync(file)) {
      bad.push(key);
      continue;
    }
    const identity = await identifyFile(file);
    if (!spec.files[key].gzip.some((known) => sameIdentity(identity, known))) {
      const problem = identityMismatch(file, identity, spec.files[key].gzip);
      problems.push(problem);
      log(`${problem}: not using it`);
      bad.push(key);
    }
  }
  return bad;
}

function notFound(spec: IdxDatasetSpec, where: Locations, looked: string[], problems: string[]): Error {
  const names = IDX_FILE_KEYS.map((key) => spec.files[key].name + ".gz").join(", ");
  const download = !where.cacheDir
    ? "downloads are off (no cache directory)"
    : where.mirrors.length === 0
      ? `downloads are off (${spec.mirrorsEnv} is empty)`
      : null;
  return new Error(
    `${spec.title} not found (looked in: ${looked.join(", ") || "nowhere"})` +
      (problems.length ? `. ${problems.join("; ")}` : "") +
      (download ? `; ${download}` : "") +
      `. Get the files with \`apt-get install ${spec.systemPackage}\` (they land in ${spec.systemDir}), ` +
      `restore the copy this project ships in ${spec.shippedDir}, ` +
      `or download ${names} from ${spec.mirrors[0]} into a folder and set SWEEPBOARD_DATA_DIR to it.`,
  );
}

/** Finds (or downloads) the four files, or throws saying where it looked and how to get them. */
export async function resolveIdxFiles(spec: IdxDatasetSpec, options: DatasetLocationOptions = {}): Promise<ResolvedIdxFiles> {
  const where = locations(spec, options);
  const log = options.log ?? defaultLog;
  const looked: string[] = [];
  const asIs: [IdxSource, string | null][] = [
    ["data-dir", where.dataDir && path.join(where.dataDir, spec.id)],
    ["data-dir", where.dataDir],
    ["system", where.systemDir],
  ];
  for (const [source, dir] of asIs) {
    if (!dir) continue;
    looked.push(dir);
    const files = findAll(spec, dir);
    if (files) return { source, dir, files, key: await keyOf(spec, files, log) };
  }
  const problems: string[] = [];
  const gzFiles = (dir: string) => fileMap(spec, (file) => path.join(dir, file.name + ".gz"));
  if (where.shippedDir) {
    looked.push(where.shippedDir);
    if ((await unverified(spec, where.shippedDir, problems, log)).length === 0) {
      return { source: "shipped", dir: where.shippedDir, files: gzFiles(where.shippedDir), key: OFFICIAL_KEY };
    }
  }
  if (where.cacheDir) {
    const dir = path.join(where.cacheDir, spec.id);
    looked.push(dir);
    const missing = await unverified(spec, dir, problems, log);
    if (missing.length === 0) return { source: "cache", dir, files: gzFiles(dir), key: OFFICIAL_KEY };
    if (where.mirrors.length > 0) {
      try {
        for (const key of missing) {
          const name = spec.files[key].name + ".gz";
          await downloadVerified({
            label: `${spec.title} ${name}`,
            urls: where.mirrors.map((base) => new URL(name, base.endsWith("/") ? base : base + "/").href),
            destination: path.join(dir, name),
            accept: spec.files[key].gzip,
            log,
          });
        }
        return { source: "download", dir, files: gzFiles(dir), key: OFFICIAL_KEY };
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  throw notFound(spec, where, looked, problems);
}

async function decodeSet(imagesPath: string, labelsPath: string, numClasses: number): Promise<ImageSet> {
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  const [count, height, width] = images.shape;
  if (images.shape.length !== 3 || !(images.data instanceof Uint8Array)) {
    throw new Error(`${imagesPath}: expected a 3-D unsigned-byte IDX image file`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== count || !(labels.data instanceof Uint8Array)) {
    throw new Error(`${labelsPath}: expected ${count} unsigned-byte labels`);
  }
  const outside = labels.data.findIndex((label) => label >= numClasses);
  if (outside >= 0) throw new Error(`${labelsPath}: label ${labels.data[outside]} at index ${outside} is outside 0..${numClasses - 1}`);
  return { images: images.data, labels: labels.data, count, height, width };
}

const loaded = boundedPromiseCache<IdxDataset>(4);

/** The official train and test sets, decoded once per machine (cache) and once per process (memory). */
export async function loadIdxDataset(spec: IdxDatasetSpec, options: DatasetLocationOptions = {}): Promise<IdxDataset> {
  const where = locations(spec, options);
  const log = options.log ?? defaultLog;
  return loaded(JSON.stringify([spec.id, where]), async () => {
    const resolved = await resolveIdxFiles(spec, options);
    const classNames = [...spec.classNames];
    const cacheFile = where.cacheDir && path.join(where.cacheDir, spec.id, `decoded-${resolved.key}.bin`);
    if (cacheFile) {
      const cached = await readDecodedCache(cacheFile, resolved.key);
      if ("sets" in cached && cached.sets.train && cached.sets.test) return { train: cached.sets.train, test: cached.sets.test, classNames, resolved };
      if ("invalid" in cached) log(`${cacheFile}: ${cached.invalid}; decoding ${spec.title} again`);
    }
    const { files } = resolved;
    const [train, test] = await Promise.all([
      decodeSet(files.trainImages, files.trainLabels, classNames.length),
      decodeSet(files.testImages, files.testLabels, classNames.length),
    ]);
    log(`${spec.title}: decoded ${train.count} + ${test.count} images from ${resolved.dir} (${resolved.source})`);
    // The cache only saves time: a read-only or full disk must not fail the trial.
    if (cacheFile) await writeDecodedCache(cacheFile, resolved.key, { train, test }).catch((error: Error) => log(`could not write ${cacheFile}: ${error.message}`));
    return { train, test, classNames, resolved };
  });
}
