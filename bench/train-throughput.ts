// Training throughput of the reference CNN (Conv32-3 > MaxPool > Conv64-3 > MaxPool > Flatten > Dense128 >
// Dense10, Adam, batch 64) on the wasm backend with our kernels, one thread. Prints JSON.
// Run: npx tsx bench/train-throughput.ts [--batches 60] [--backend wasm|cpu]
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { initTrainingBackend } from "../server/training/backend";
import { buildCnn, cnnConfigFromParams, createOptimizer } from "../server/training/cnn-model";
import { disposeBatch, lossAndCorrect, makeBatch } from "../server/training/image-batches";
import { loadSplit } from "../server/datasets/split";

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const batches = Number(argument("batches", "60"));
const warmup = 5;
const backend = await initTrainingBackend({ preferred: argument("backend", "wasm") as "wasm" | "cpu" });
const config = cnnConfigFromParams({ filters: 32, units: 128, conv_layers: 2, kernel_size: 3, batch_size: 64, optimizer: "adam" });
const split = await loadSplit({ name: "fashion-mnist", subset: 64 * (batches + warmup), validationSplit: 0 }, 1);
const model = buildCnn(config, 1, { inputShape: [28, 28, 1], numClasses: 10 });
const optimizer = createOptimizer("adam", config.learningRate);
const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
const order = Int32Array.from({ length: split.train.count }, (_, i) => i);

let timedMs = 0;
let timedImages = 0;
for (let step = 0; step < batches + warmup; step++) {
  const began = performance.now();
  const batch = makeBatch(split.train, order, step * 64, (step + 1) * 64, 10);
  const loss = optimizer.minimize(() => {
    const { lossSum, correct } = lossAndCorrect(model.apply(batch.xs, { training: true }) as tf.Tensor, batch);
    correct.dispose();
    return tf.div(lossSum, 64) as tf.Scalar;
  }, true, variables)!;
  loss.dataSync();
  loss.dispose();
  disposeBatch(batch);
  if (step >= warmup) {
    timedMs += performance.now() - began;
    timedImages += 64;
  }
}
model.dispose();
optimizer.dispose();
console.log(
  JSON.stringify({
    benchmark: "train-throughput",
    model: "Conv32-3 > MaxPool > Conv64-3 > MaxPool > Flatten > Dense128 > Dense10, adam, batch 64",
    backend,
    threads: 1,
    batches,
    images_per_sec: Math.round(timedImages / (timedMs / 1000)),
    ms_per_batch: +(timedMs / batches).toFixed(1),
    cpu: os.cpus()[0]?.model,
  }),
);
