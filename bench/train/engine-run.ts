// One engine's side of `npm run bench:train`, run in its own process so engines never share TF.js state: trains
// the reference CNN of ../shared/bench/README.md (Conv32-3 > MaxPool > Conv64-3 > MaxPool > Flatten > Dense128 >
// Dense10, 'valid' padding, Glorot-uniform init, Adam 1e-3, batch 64) with the same step the trainer runs, on
// 10k-image epochs (1 warm-up + N timed), and prints one JSON line.
// Usage: tsx bench/train/engine-run.ts --engine wasm+native|wasm|cpu [--images 10000] [--epochs 3] [--accuracy]
import * as tf from "@tensorflow/tfjs";
import { loadSplit } from "../../server/datasets/split";
import { describeTrainingEngine, initTrainingBackend } from "../../server/training/backend";
import { createOptimizer } from "../../server/training/cnn-model";
import { disposeBatch, evaluateSet, lossAndCorrect, makeBatch } from "../../server/training/image-batches";
import type { ImageSet } from "../../server/datasets/fashion-mnist";
import { createRandom, shuffleInPlace } from "../../server/datasets/seeded-random";

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const engine = option("engine", "wasm+native");
const images = Number(option("images", "10000"));
const epochs = Number(option("epochs", "3"));
const BATCH = 64;

function referenceCnn(): tf.Sequential {
  const seed = (n: number) => tf.initializers.glorotUniform({ seed: n });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu", kernelInitializer: seed(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu", kernelInitializer: seed(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: seed(3) }),
      tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: seed(4) }),
    ],
  });
}

/** One epoch over `set` in a seeded order; returns seconds. */
function trainEpoch(model: tf.Sequential, optimizer: tf.Optimizer, set: ImageSet, epoch: number): number {
  const order = shuffleInPlace(Int32Array.from({ length: set.count }, (_, i) => i), createRandom(epoch + 1));
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const began = performance.now();
  for (let start = 0; start + BATCH <= set.count; start += BATCH) {
    const batch = makeBatch(set, order, start, start + BATCH, 10);
    const loss = optimizer.minimize(() => {
      const { lossSum, correct } = lossAndCorrect(model.apply(batch.xs, { training: true }) as tf.Tensor, batch);
      correct.dispose();
      return tf.div(lossSum, BATCH) as tf.Scalar;
    }, true, variables)!;
    loss.dataSync(); // the trainer reads every batch's loss too
    loss.dispose();
    disposeBatch(batch);
  }
  return (performance.now() - began) / 1000;
}

const backend = await initTrainingBackend({ preferred: engine === "cpu" ? "cpu" : "wasm", native: engine === "wasm+native" });
const actual = describeTrainingEngine(backend);
if (actual !== engine) throw new Error(`asked for engine ${engine}, got ${actual}`);

const split = await loadSplit({ name: "fashion-mnist", subset: images, validationSplit: 0 }, 0);
const model = referenceCnn();
const optimizer = createOptimizer("adam", 0.001);
trainEpoch(model, optimizer, split.train, 0); // warm-up
const seconds = Array.from({ length: epochs }, (_, i) => trainEpoch(model, optimizer, split.train, i + 1));
const trained = Math.floor(split.train.count / BATCH) * BATCH;
const out: Record<string, unknown> = { engine, threads: 1, images_per_epoch: trained, images_per_s: seconds.map((s) => trained / s) };
model.dispose();
optimizer.dispose();

if (process.argv.includes("--accuracy")) {
  const full = await loadSplit({ name: "fashion-mnist", validationSplit: 0 }, 0);
  const fresh = referenceCnn();
  const adam = createOptimizer("adam", 0.001);
  const history = [];
  for (let epoch = 1; epoch <= 3; epoch++) {
    const secondsTaken = trainEpoch(fresh, adam, full.train, epoch);
    history.push({ epoch, seconds: secondsTaken, test_accuracy: evaluateSet(fresh, full.test, 10).accuracy });
  }
  out.accuracy_60k = history;
}
console.log(JSON.stringify(out));
