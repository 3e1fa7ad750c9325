// Training throughput of the reference CNN on every available engine, optionally side by side with PyTorch.
// Each engine (and PyTorch) runs in its own process; with --reference the runs alternate round by round, because
// this shared machine's speed drifts by ±20% over minutes. Prints JSON (and writes it with --out), with our best
// engine's median images/s divided by PyTorch's.
// Usage: npm run bench:train -- [--out FILE] [--reference] [--rounds 2] [--epochs 3] [--images 10000]
//        [--engines wasm+native,wasm,cpu] [--accuracy] [--shared ../shared/bench]
//        npm run bench:train -- --variant reference,batch_norm,...|every [--reference] [--images 3000]
//        [--torch-dense conv1x1|linear] [--out FILE]   (template variants, see bench/train/variant-comparison.ts)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { flag, option } from "./shared/cli-options";
import { percentile } from "./shared/stats";
import { runJson, type Run } from "./train/child-run";
import { compareVariants } from "./train/variant-comparison";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const torchPython = "/usr/bin/python3";

if (option("variant", "") !== "") {
  const torchAvailable = spawnSync(torchPython, ["-c", "import torch"]).status === 0;
  if (flag("reference") && !torchAvailable) {
    console.error(`--reference needs ${torchPython} with torch (apt-get install python3-torch)`);
    process.exit(2);
  }
  const report = compareVariants({
    root, variants: option("variant", ""), engine: option("engines", "wasm+native").split(",")[0], rounds: Number(option("rounds", "2")),
    images: option("images", "3000"), epochs: option("epochs", "3"), reference: flag("reference"),
    torchDense: option("torch-dense", "conv1x1"), torchPython,
  });
  const json = JSON.stringify(report, null, 2);
  console.log(json);
  if (option("out", "")) fs.writeFileSync(option("out", ""), json + "\n");
  process.exit(report.errors ? 1 : 0);
}

const rounds = Number(option("rounds", "2"));
const epochs = option("epochs", "3");
const images = option("images", "10000");
// The pure-JS cpu backend trains at a few images/s: it gets one batch per epoch, enough for a rate.
const cpuImages = option("cpu-images", "64");
const engines = option("engines", "wasm+native,wasm,cpu").split(",");
const shared = path.resolve(root, option("shared", "../shared/bench"));

function engineRun(engine: string, withAccuracy: boolean) {
  const count = engine === "cpu" ? cpuImages : images;
  const args = ["--import", "tsx", "bench/train/engine-run.ts", "--engine", engine, "--images", count, "--epochs", engine === "cpu" ? "1" : epochs];
  return runJson(process.execPath, withAccuracy ? [...args, "--accuracy"] : args, root);
}

function torchRun(withAccuracy: boolean) {
  const args = ["bench/train/reference_torch.py", "--shared", shared, "--threads", "1", "--dense", "conv1x1", "--images", images, "--epochs", epochs];
  return runJson(torchPython, withAccuracy ? [...args, "--accuracy"] : args, root);
}

const torchAvailable =
  flag("reference") &&
  fs.existsSync(path.join(shared, "bench_torch_cnn.py")) &&
  spawnSync(torchPython, ["-c", "import torch"]).status === 0;
if (flag("reference") && !torchAvailable) {
  console.error(`--reference needs ${torchPython} with torch (apt-get install python3-torch) and ${shared}/bench_torch_cnn.py`);
  process.exit(2);
}

const samples = new Map<string, number[]>();
const errors: string[] = [];
const accuracy: Record<string, unknown> = {};
const record = (name: string, run: Run | { error: string }) => {
  if ("error" in run) return void errors.push(run.error);
  samples.set(name, [...(samples.get(name) ?? []), ...run.images_per_s]);
  if (run.accuracy_60k) accuracy[name] = run.accuracy_60k;
  console.error(`${name}: ${run.images_per_s.map((v) => v.toFixed(0)).join(", ")} images/s`);
};

for (let round = 0; round < rounds; round++) {
  const lastRound = round === rounds - 1 && flag("accuracy");
  for (const engine of engines) {
    // Accuracy on the full 60k only for the engines that train at a usable speed.
    record(engine, engineRun(engine, lastRound && engine !== "cpu"));
    if (torchAvailable && engine !== "cpu") record("pytorch", torchRun(lastRound && engine === engines[0]));
  }
}

const medians = Object.fromEntries([...samples].map(([name, values]) => [name, Math.round(percentile(values, 50))]));
const ours = engines.filter((engine) => medians[engine] !== undefined).sort((a, b) => medians[b] - medians[a])[0];
const report = {
  benchmark: "train-throughput",
  model: "reference CNN: Conv32-3 > MaxPool > Conv64-3 > MaxPool > Flatten > Dense128 > Dense10, Adam 1e-3, batch 64, Fashion-MNIST 28x28",
  timing: `median of timed ${images}-image epochs after one warm-up epoch, ${rounds} rounds, engines and PyTorch alternating; one thread each`,
  cpu: os.cpus()[0]?.model,
  images_per_s_median: medians,
  images_per_s_samples: Object.fromEntries([...samples].map(([name, values]) => [name, values.map(Math.round)])),
  best_engine: ours,
  ratio_vs_pytorch: torchAvailable && ours && medians.pytorch ? +(medians[ours] / medians.pytorch).toFixed(3) : null,
  accuracy_60k_3_epochs: Object.keys(accuracy).length > 0 ? accuracy : undefined,
  errors: errors.length > 0 ? errors : undefined,
};
const json = JSON.stringify(report, null, 2);
console.log(json);
if (option("out", "")) fs.writeFileSync(option("out", ""), json + "\n");
if (report.ratio_vs_pytorch !== null) console.error(`${ours} / pytorch (1 thread, conv1x1 dense): ${report.ratio_vs_pytorch}x`);
process.exit(errors.length > 0 ? 1 : 0);
