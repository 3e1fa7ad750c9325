// Trains one trial of the CNN template on its dataset split: seeded init and batch order, Keras-style epoch
// metrics, cooperative stopping between batches, divergence detection, a final test evaluation, and a
// self-contained model artifact. Every tensor it creates is disposed, whatever happens.
import * as tf from "@tensorflow/tfjs";
import { createEarlyStopping } from "../../search/early-stopping";
import type { DatasetLocationOptions, ImageSet } from "../datasets/fashion-mnist";
import { createRandom, deriveSeed, shuffleInPlace } from "../datasets/seeded-random";
import { loadSplit } from "../datasets/split";
import { initTrainingBackend } from "./backend";
import { withDefaults } from "./cnn-parameters";
import { buildCnn, cnnConfigFromParams, createOptimizer, type CnnConfig } from "./cnn-model";
import { disposeBatch, evaluateSet, lossAndCorrect, makeBatch, PIXEL_SCALE } from "./image-batches";
import { exportArtifact } from "./model-artifact";
import type { EpochMetrics, ModelMetadata, TrainJob, TrainResult } from "./types";

export interface TrainHooks {
  onEpoch(epoch: number, metrics: EpochMetrics): void | Promise<void>;
  /** Polled before every batch; once true, training ends and the result covers the completed epochs. */
  shouldStop(): boolean;
}

export interface TrainOptions {
  data?: DatasetLocationOptions;
  /** How often (ms) a batch loop yields to the event loop so stop requests (IPC) get through. */
  yieldEveryMs?: number;
}

/** Keras-style divergence check: a NaN/Inf loss fails the trial instead of training on garbage. */
export function assertFiniteLoss(loss: number, epoch: number): void {
  if (!Number.isFinite(loss)) throw new Error(`diverged at epoch ${epoch}: loss is ${loss}`);
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface EpochTotals {
  lossSum: number;
  correct: number;
  images: number;
  trainMs: number;
  completed: boolean;
}

async function trainOneEpoch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  config: CnnConfig,
  data: { set: ImageSet; numClasses: number; seed: number },
  epoch: number,
  hooks: TrainHooks,
  yieldEveryMs: number,
): Promise<EpochTotals> {
  const order = shuffleInPlace(Int32Array.from({ length: data.set.count }, (_, i) => i), createRandom(deriveSeed(data.seed, `epoch-${epoch}`)));
  const totals: EpochTotals = { lossSum: 0, correct: 0, images: 0, trainMs: 0, completed: false };
  let lastYield = performance.now();
  for (let start = 0; start < order.length; start += config.batchSize) {
    if (performance.now() - lastYield >= yieldEveryMs) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    if (hooks.shouldStop()) return totals;
    const began = performance.now();
    const end = Math.min(order.length, start + config.batchSize);
    const batch = makeBatch(data.set, order, start, end, data.numClasses);
    // The correct-count is computed inside minimize's tidy; tf.keep lets it out.
    const kept: { correct?: tf.Scalar } = {};
    let meanLoss: tf.Scalar | null = null;
    let lossValue: number;
    let correctValue: number;
    try {
      meanLoss = optimizer.minimize(
        () => {
          const predictions = model.apply(batch.xs, { training: true }) as tf.Tensor;
          const result = lossAndCorrect(predictions, batch);
          kept.correct = tf.keep(result.correct);
          return tf.div(result.lossSum, end - start) as tf.Scalar;
        },
        true,
        variables,
      );
      if (!meanLoss || !kept.correct) throw new Error("optimizer.minimize returned no loss");
      lossValue = meanLoss.dataSync()[0];
      correctValue = kept.correct.dataSync()[0];
    } finally {
      tf.dispose([meanLoss, kept.correct].filter((t): t is tf.Scalar => t != null));
      disposeBatch(batch);
    }
    assertFiniteLoss(lossValue, epoch);
    totals.lossSum += lossValue * (end - start);
    totals.correct += correctValue;
    totals.images += end - start;
    totals.trainMs += performance.now() - began;
  }
  totals.completed = true;
  return totals;
}

export async function trainTrial(job: TrainJob, hooks: TrainHooks, options: TrainOptions = {}): Promise<TrainResult> {
  if (job.template !== "cnn") throw new Error(`unknown model template '${job.template as string}'`);
  const backend = await initTrainingBackend();
  const config = cnnConfigFromParams(job.params);
  const split = await loadSplit(job.dataset, job.sweepSeed, options.data);
  const numClasses = split.classNames.length;
  const inputShape: [number, number, number] = [split.train.height, split.train.width, 1];
  const yieldEveryMs = options.yieldEveryMs ?? 50;

  const model = buildCnn(config, job.trialSeed, { inputShape, numClasses });
  const optimizer = createOptimizer(config.optimizer, config.learningRate);
  try {
    const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    let epochsRun = 0;
    let lastMetrics: EpochMetrics | null = null;
    const earlyStopping = job.earlyStopping ? createEarlyStopping(job.earlyStopping) : null;
    const monitor = (job.earlyStopping?.monitor ?? "val_loss") as keyof EpochMetrics;
    const best = new BestWeights();
    let stopReason: string | undefined;
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      if (hooks.shouldStop()) break;
      const epochStart = performance.now();
      const data = { set: split.train, numClasses, seed: job.trialSeed };
      const totals = await trainOneEpoch(model, optimizer, variables, config, data, epoch, hooks, yieldEveryMs);
      if (!totals.completed) break; // stopped mid-epoch: a partial epoch is not reported
      const validation = evaluateSet(model, split.validation, numClasses);
      lastMetrics = {
        loss: totals.lossSum / totals.images,
        accuracy: totals.correct / totals.images,
        val_loss: validation.loss,
        val_accuracy: validation.accuracy,
        duration_ms: performance.now() - epochStart,
        images_per_sec: totals.images / (totals.trainMs / 1000),
      };
      epochsRun = epoch;
      await hooks.onEpoch(epoch, lastMetrics);
      if (earlyStopping) {
        const step = earlyStopping.update(epoch, lastMetrics[monitor]);
        if (step.isBest && job.earlyStopping?.restoreBestWeights) best.keep(model, lastMetrics);
        if (step.stop) {
          stopReason = step.reason;
          if (step.restoreEpoch !== undefined) lastMetrics = best.restoreInto(model) ?? lastMetrics;
          break;
        }
      }
    }
    best.dispose();

    const test = evaluateSet(model, split.test, numClasses);
    const testMetrics = { test_loss: test.loss, test_accuracy: test.accuracy };
    const metadata: ModelMetadata = {
      classNames: split.classNames,
      inputShape,
      preprocessing: {
        scale: PIXEL_SCALE,
        description: `grayscale pixels / 255 as float32, shape [${inputShape.join(", ")}] per image (NHWC)`,
      },
      dataset: {
        name: job.dataset.name,
        ...(job.dataset.subset !== undefined ? { subset: job.dataset.subset, testSubset: split.test.count } : {}),
        validationSplit: job.dataset.validationSplit,
        testSplit: "official-test",
        seed: job.sweepSeed,
      },
      params: withDefaults(job.params),
      metrics: { ...(lastMetrics ?? {}), ...testMetrics, epochs_run: epochsRun },
      backend,
      createdAt: new Date().toISOString(),
    };
    const artifact = await exportArtifact(model, metadata);
    return { epochsRun, testMetrics, artifact, ...(stopReason ? { stopReason } : {}) };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

/** Keras's restore_best_weights: a copy of the weights (and that epoch's metrics) of the best epoch so far. */
class BestWeights {
  private weights: tf.Tensor[] | null = null;
  private metrics: EpochMetrics | null = null;

  keep(model: tf.LayersModel, metrics: EpochMetrics): void {
    this.dispose();
    this.weights = model.getWeights().map((w) => w.clone());
    this.metrics = metrics;
  }

  /** Puts the kept weights back; returns the metrics they scored, or null when none were kept. */
  restoreInto(model: tf.LayersModel): EpochMetrics | null {
    if (!this.weights) return null;
    model.setWeights(this.weights);
    return this.metrics;
  }

  dispose(): void {
    if (this.weights) tf.dispose(this.weights);
    this.weights = null;
  }
}
