// Where a training step of the reference CNN spends its time, kernel by kernel (the per-kernel split the engine's
// next optimisation starts from). Every kernel of the active backend is wrapped with a timer; wasm and cpu run
// synchronously, so the times are exact. Prints JSON.
// Usage: npm run bench:train:profile -- [--engine wasm+native|wasm] [--batches 60] [--variant reference|batch_norm|…]
import * as tf from "@tensorflow/tfjs";
import { loadSplit } from "../../server/datasets/split";
import { initTrainingBackend, trainingEngine } from "../../server/training/backend";
import { createOptimizer } from "../../server/training/optimizers";
import { flag, option } from "../shared/cli-options";
import { BATCH, referenceCnn, trainEpoch } from "./reference-cnn";
import { variantNames, variantParams } from "./variants";

const engine = option("engine", "wasm+native");
const batches = Number(option("batches", "60"));
const [variant] = variantNames(option("variant", "reference"));
const backend = await initTrainingBackend({ preferred: engine === "cpu" ? "cpu" : "wasm", native: engine === "wasm+native" });

// Heavy kernels are keyed by their input shapes too, to tell layers apart.
const BY_SHAPE = new Set(["Conv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput", "BatchMatMul", "MaxPoolGrad", "MaxPool"]);
const totals = new Map<string, { ms: number; calls: number }>();
let recording = false;
for (const kernel of tf.getKernelsForBackend(backend)) {
  const inner = kernel.kernelFunc;
  tf.unregisterKernel(kernel.kernelName, backend);
  tf.registerKernel({
    ...kernel,
    kernelFunc: (args) => {
      const began = performance.now();
      const out = inner(args);
      if (recording) {
        const shapes = flag("all-shapes") || BY_SHAPE.has(kernel.kernelName) ? " " + JSON.stringify(Object.values(args.inputs).map((t) => t?.shape)) : "";
        const key = kernel.kernelName + shapes;
        const entry = totals.get(key) ?? { ms: 0, calls: 0 };
        entry.ms += performance.now() - began;
        entry.calls++;
        totals.set(key, entry);
      }
      return out;
    },
  });
}

const split = await loadSplit({ name: "fashion-mnist", subset: BATCH * batches, validationSplit: 0 }, 0);
const model = referenceCnn(0, variantParams(variant));
const optimizer = createOptimizer("adam", 0.001);
trainEpoch(model, optimizer, split.train, 0); // warm-up: allocations, kernel setup
recording = true;
const seconds = trainEpoch(model, optimizer, split.train, 1);
const steps = Math.floor(split.train.count / BATCH);
const kernelMs = [...totals.values()].reduce((sum, t) => sum + t.ms, 0);
const stepMs = (seconds * 1000) / steps;
console.log(
  JSON.stringify(
    {
      benchmark: "train-kernel-profile",
      engine: trainingEngine()?.label,
      variant,
      steps,
      step_ms: +stepMs.toFixed(2),
      images_per_s: Math.round((steps * BATCH) / seconds),
      // Outside kernels: the engine's bookkeeping (tape, tidy, dispose), batch preparation, the optimizer's JS.
      outside_kernels_ms_per_step: +(stepMs - kernelMs / steps).toFixed(2),
      kernels: [...totals]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([name, t]) => ({ kernel: name, ms_per_step: +(t.ms / steps).toFixed(3), calls_per_step: +(t.calls / steps).toFixed(1), share: +(t.ms / (seconds * 1000)).toFixed(3) })),
    },
    null,
    1,
  ),
);
