// Fashion-MNIST (Zalando Research, MIT): the four official IDX files and where to find them. The project ships them
// (server/datasets/data/fashion-mnist/, copied from Debian's `dataset-fashion-mnist`), so a fresh machine trains
// without the package and without internet; see idx-dataset.ts for the resolution order and the caches.
import { fileURLToPath } from "node:url";
import { loadIdxDataset, resolveIdxFiles, type DatasetLocationOptions, type IdxDataset, type IdxDatasetSpec, type ResolvedIdxFiles } from "./idx-dataset";

export type { DatasetLocationOptions, ImageSet, ResolvedIdxFiles } from "./idx-dataset";

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
/** Resolved from this module, so a worker started from any directory (or another machine's checkout) finds it. */
export const FASHION_MNIST_SHIPPED_DIR = fileURLToPath(new URL("./data/fashion-mnist", import.meta.url));
/** Keras' bucket (HTTPS) first, then Zalando's own S3 website; both serve the official release, byte for byte. */
export const FASHION_MNIST_MIRRORS = [
  "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
  "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
] as const;
export const FASHION_MNIST_MIRRORS_ENV = "SWEEPBOARD_FASHION_MNIST_MIRRORS";
export const IMAGE_HEIGHT = 28;
export const IMAGE_WIDTH = 28;

// Each file's identity three ways: the decompressed IDX bytes (the data itself), the official release's .gz (what
// the mirrors serve; its MD5s are the ones Zalando publishes), and Debian's .gz (the shipped copy: the same deflate
// stream without the gzip header's file name, so 23-24 bytes shorter).
export const FASHION_MNIST: IdxDatasetSpec = {
  id: "fashion-mnist",
  title: "Fashion-MNIST",
  classNames: FASHION_MNIST_CLASS_NAMES,
  systemDir: FASHION_MNIST_SYSTEM_DIR,
  systemDirEnv: "SWEEPBOARD_FASHION_MNIST_SYSTEM_DIR",
  systemPackage: "dataset-fashion-mnist",
  shippedDir: FASHION_MNIST_SHIPPED_DIR,
  mirrors: FASHION_MNIST_MIRRORS,
  mirrorsEnv: FASHION_MNIST_MIRRORS_ENV,
  files: {
    trainImages: {
      name: "train-images-idx3-ubyte",
      content: { bytes: 47_040_016, sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888" },
      gzip: [
        { bytes: 26_421_880, sha256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84" },
        { bytes: 26_421_856, sha256: "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7" },
      ],
    },
    trainLabels: {
      name: "train-labels-idx1-ubyte",
      content: { bytes: 60_008, sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9" },
      gzip: [
        { bytes: 29_515, sha256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845" },
        { bytes: 29_491, sha256: "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056" },
      ],
    },
    testImages: {
      name: "t10k-images-idx3-ubyte",
      content: { bytes: 7_840_016, sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b" },
      gzip: [
        { bytes: 4_422_102, sha256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073" },
        { bytes: 4_422_079, sha256: "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa" },
      ],
    },
    testLabels: {
      name: "t10k-labels-idx1-ubyte",
      content: { bytes: 10_008, sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34" },
      gzip: [
        { bytes: 5_148, sha256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5" },
        { bytes: 5_125, sha256: "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05" },
      ],
    },
  },
};

export type FashionMnist = IdxDataset;

/** Where this process finds (or downloads) the four files; throws saying where it looked and how to get them. */
export function resolveFashionMnistFiles(options: DatasetLocationOptions = {}): Promise<ResolvedIdxFiles> {
  return resolveIdxFiles(FASHION_MNIST, options);
}

/** The official train (60,000) and test (10,000) sets, decoded once per machine and once per process. */
export function loadFashionMnist(options: DatasetLocationOptions = {}): Promise<FashionMnist> {
  return loadIdxDataset(FASHION_MNIST, options);
}
