// One engine's side of `npm run bench:train`, run in its own process so engines never share TF.js state: trains
// the reference CNN of ../shared/bench/README.md (Conv32-3 > MaxPool > Conv64-3 > MaxPool > Flatten > Dense128 >
// Dense10, 'valid' padding, Glorot-uniform init, Adam 1e-3, batch 64) with the same step the trainer runs, on
// 10k-image epochs (1 warm-up + N timed), and prints one JSON line.
// Usage: tsx bench/train/engine-run.ts --engine wasm+native|wasm|cpu [--images 10000] [--epochs 3]
//        [--variant reference|batch_norm|...] [--accuracy [--seed N]]
import { loadSplit } from "../../server/datasets/split";
import { initTrainingBackend, trainingEngine } from "../../server/training/backend";
import { createOptimizer } from "../../server/training/optimizers";
import { evaluateSet } from "../../server/training/image-batches";
import { flag, option } from "../shared/cli-options";
import { BATCH, referenceCnn, trainEpoch } from "./reference-cnn";
import { variantNames, variantParams } from "./variants";


const engine = option("engine", "wasm+native");
const images = Number(option("images", "10000"));
const epochs = Number(option("epochs", "3"));
const [variant] = variantNames(option("variant", "reference"));

const backend = await initTrainingBackend({ preferred: engine === "cpu" ? "cpu" : "wasm", native: engine === "wasm+native" });
const actual = trainingEngine()?.label ?? backend;
if (actual !== engine) throw new Error(`asked for engine ${engine}, got ${actual}`);

const split = await loadSplit({ name: "fashion-mnist", subset: images, validationSplit: 0 }, 0);
const model = referenceCnn(0, variantParams(variant));
const optimizer = createOptimizer("adam", 0.001);
trainEpoch(model, optimizer, split.train, 0); // warm-up
const seconds = Array.from({ length: epochs }, (_, i) => trainEpoch(model, optimizer, split.train, i + 1));
const trained = Math.floor(split.train.count / BATCH) * BATCH;
const out: Record<string, unknown> = { engine, variant, threads: 1, images_per_epoch: trained, images_per_s: seconds.map((s) => trained / s) };
model.dispose();
optimizer.dispose();

if (flag("accuracy")) {
  const full = await loadSplit({ name: "fashion-mnist", validationSplit: 0 }, 0);
  const seed = Number(option("seed", "0"));
  const fresh = referenceCnn(seed, variantParams(variant));
  const adam = createOptimizer("adam", 0.001);
  const history = [];
  for (let epoch = 1; epoch <= 3; epoch++) {
    const secondsTaken = trainEpoch(fresh, adam, full.train, epoch, seed);
    history.push({ epoch, seconds: secondsTaken, test_accuracy: evaluateSet(fresh, full.test, 10).accuracy });
  }
  out.accuracy_60k = history;
}
console.log(JSON.stringify(out));
