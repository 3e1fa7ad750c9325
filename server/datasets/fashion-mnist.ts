// Fashion-MNIST from its official IDX files: found in $SWEEPBOARD_DATA_DIR, then where the Debian package
// `dataset-fashion-mnist` installs them. Parsed files are cached for the life of the process.
import { existsSync } from "node:fs";
import path from "node:path";
import { readIdxFile } from "./idx";

export const FASHION_MNIST_CLASS_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
] as const;

export const FASHION_MNIST_SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";
export const IMAGE_HEIGHT = 28;
export const IMAGE_WIDTH = 28;

/** Images as raw 0..255 bytes (row-major, one 28x28 image after another) and their class indices. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

export interface DatasetLocationOptions {
  /** Overrides $SWEEPBOARD_DATA_DIR. */
  dataDir?: string;
  /** Overrides the system path; null disables it (tests). */
  systemDir?: string | null;
}

const FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

function candidateDirs(options: DatasetLocationOptions): string[] {
  const dirs: string[] = [];
  const dataDir = options.dataDir ?? process.env.SWEEPBOARD_DATA_DIR;
  if (dataDir) dirs.push(path.join(dataDir, "fashion-mnist"), dataDir);
  const systemDir = options.systemDir === undefined ? FASHION_MNIST_SYSTEM_DIR : options.systemDir;
  if (systemDir) dirs.push(systemDir);
  return dirs;
}

function findFile(dir: string, baseName: string): string | null {
  for (const name of [baseName + ".gz", baseName]) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Returns the four file paths from the first directory that has all of them, or throws saying how to get them. */
export function resolveFashionMnistFiles(options: DatasetLocationOptions = {}): Record<keyof typeof FILES, string> {
  const dirs = candidateDirs(options);
  for (const dir of dirs) {
    const found = Object.fromEntries(Object.entries(FILES).map(([key, base]) => [key, findFile(dir, base)]));
    if (Object.values(found).every((file) => file !== null)) return found as Record<keyof typeof FILES, string>;
  }
  throw new Error(
    `Fashion-MNIST not found (looked in: ${dirs.join(", ") || "nowhere"}). ` +
      `Install it with \`apt-get install dataset-fashion-mnist\` (files land in ${FASHION_MNIST_SYSTEM_DIR}), ` +
      `or set SWEEPBOARD_DATA_DIR to a directory holding ${Object.values(FILES).join(", ")} (optionally .gz).`,
  );
}

export interface FashionMnist {
  train: ImageSet;
  test: ImageSet;
  classNames: string[];
}

const cache = new Map<string, Promise<FashionMnist>>();

async function readImageSet(imagesPath: string, labelsPath: string): Promise<ImageSet> {
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  const [count, height, width] = images.shape;
  if (images.shape.length !== 3 || !(images.data instanceof Uint8Array)) {
    throw new Error(`${imagesPath}: expected a 3-D unsigned-byte IDX image file`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== count || !(labels.data instanceof Uint8Array)) {
    throw new Error(`${labelsPath}: expected ${count} unsigned-byte labels`);
  }
  return { images: images.data, labels: labels.data, count, height, width };
}

/** Loads (once per process and location) the official train and test sets. */
export async function loadFashionMnist(options: DatasetLocationOptions = {}): Promise<FashionMnist> {
  const files = resolveFashionMnistFiles(options);
  const key = JSON.stringify(files);
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = (async () => {
      const [train, test] = await Promise.all([
        readImageSet(files.trainImages, files.trainLabels),
        readImageSet(files.testImages, files.testLabels),
      ]);
      return { train, test, classNames: [...FASHION_MNIST_CLASS_NAMES] };
    })();
    loaded.catch(() => cache.delete(key));
    cache.set(key, loaded);
  }
  return loaded;
}
