// Trains one trial of a model template on its dataset split: seeded init and batch order, the trial's optimizer,
// learning-rate schedule, loss and class weights, Keras-style epoch metrics and callbacks (early stopping,
// best-checkpoint keeping), cooperative stopping between batches, divergence detection, a final evaluation on
// the validation and test splits, and a self-contained model artifact. Every tensor it creates is disposed,
// whatever happens.
import * as tf from "@tensorflow/tfjs";
import { createEarlyStopping } from "../../search/early-stopping";
import type { DatasetLocationOptions } from "../datasets/fashion-mnist";
import { createRandom, deriveSeed, shuffleInPlace } from "../datasets/seeded-random";
import { initTrainingBackend } from "./backend";
import { BestCheckpoint, BestWeights } from "./best-weights";
import { evaluateModel } from "./evaluation";
import { disposeBatch, evaluateSet, lossAndCorrect, makeBatch, type ExampleSet } from "./image-batches";
import { withRegularization } from "./layer-blocks";
import { classWeights } from "./losses";
import { createLrSchedule } from "./lr-schedules";
import { exportArtifact } from "./model-artifact";
import { modelBuilderFor } from "./model-templates";
import { createOptimizer, setLearningRate } from "./optimizers";
import { templateDefaults } from "./template-parameters";
import { loadTrainingData } from "./training-data";
import { trainingConfigFromParams, type TrainingConfig } from "./training-parameters";
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

/** Keras-style divergence check (TerminateOnNaN): a NaN/Inf loss fails the trial instead of training on garbage.
 *  The message is the failed trial's error, as the dashboard shows it. */
export function assertFiniteLoss(loss: number, epoch: number, name = "loss"): void {
  if (!Number.isFinite(loss)) throw new Error(`diverged at epoch ${epoch}: ${name} is ${loss}`);
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface EpochTotals {
  lossSum: number;
  correct: number;
  images: number;
  trainMs: number;
  completed: boolean;
}

/** What one epoch of training needs, fixed for the whole trial. */
interface TrainingRun {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
  config: TrainingConfig;
  set: ExampleSet;
  numClasses: number;
  /** Keras class_weight per class, or null for unweighted training. */
  weights: Float32Array | null;
  seed: number;
  hooks: TrainHooks;
  yieldEveryMs: number;
}

async function trainOneEpoch(run: TrainingRun, epoch: number): Promise<EpochTotals> {
  const { model, optimizer, variables, config, set, numClasses, hooks } = run;
  const order = shuffleInPlace(Int32Array.from({ length: set.count }, (_, i) => i), createRandom(deriveSeed(run.seed, `epoch-${epoch}`)));
  const totals: EpochTotals = { lossSum: 0, correct: 0, images: 0, trainMs: 0, completed: false };
  let lastYield = performance.now();
  for (let start = 0; start < order.length; start += config.batchSize) {
    if (performance.now() - lastYield >= run.yieldEveryMs) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    if (hooks.shouldStop()) return totals;
    const began = performance.now();
    const end = Math.min(order.length, start + config.batchSize);
    const batch = makeBatch(set, order, start, end, numClasses, run.weights);
    // The correct-count is computed inside minimize's tidy; tf.keep lets it out.
    const kept: { correct?: tf.Scalar } = {};
    let meanLoss: tf.Scalar | null = null;
    let lossValue: number;
    let correctValue: number;
    try {
      meanLoss = optimizer.minimize(
        () => {
          const predictions = model.apply(batch.xs, { training: true }) as tf.Tensor;
          const result = lossAndCorrect(predictions, batch, config.loss);
          kept.correct = tf.keep(result.correct);
          // Keras's sum_over_batch_size: sample weights scale the terms, the divisor stays the batch size.
          // Kernel penalties (l1/l2) are part of the trained and reported loss, as in Keras.
          return withRegularization(model, tf.div(result.lossSum, end - start) as tf.Scalar);
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
  const buildModel = modelBuilderFor(job.template);
  const backend = await initTrainingBackend();
  const params = templateDefaults(job.template, job.params);
  const config = trainingConfigFromParams(params);
  const schedule = createLrSchedule(config);
  const split = await loadTrainingData(job.dataset, job.sweepSeed, options.data);
  const numClasses = split.classNames.length;
  const { inputShape } = split;

  const model = buildModel(job.params, job.trialSeed, { inputShape, numClasses });
  const optimizer = createOptimizer(config.optimizer, config.learningRate, { momentum: config.momentum, weightDecay: config.weightDecay });
  const best = new BestWeights();
  const checkpoint = job.checkpoint ? new BestCheckpoint(job.checkpoint.monitor, job.checkpoint.mode) : null;
  try {
    const run: TrainingRun = {
      model,
      optimizer,
      variables: model.trainableWeights.map((weight) => weight.read() as tf.Variable),
      config,
      set: split.train,
      numClasses,
      weights: classWeights(config.classWeight, split.train.labels, numClasses),
      seed: job.trialSeed,
      hooks,
      yieldEveryMs: options.yieldEveryMs ?? 50,
    };
    let epochsRun = 0;
    let lastMetrics: EpochMetrics | null = null;
    const earlyStopping = job.earlyStopping ? createEarlyStopping(job.earlyStopping) : null;
    const monitor = (job.earlyStopping?.monitor ?? "val_loss") as keyof EpochMetrics;
    let stopReason: string | undefined;
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      if (hooks.shouldStop()) break;
      const epochStart = performance.now();
      const learningRate = schedule.rateFor(epoch);
      setLearningRate(optimizer, learningRate);
      const totals = await trainOneEpoch(run, epoch);
      if (!totals.completed) break; // stopped mid-epoch: a partial epoch is not reported
      const validation = evaluateSet(model, split.validation, numClasses, config.loss);
      if (split.validation.count > 0) assertFiniteLoss(validation.loss, epoch, "val_loss");
      lastMetrics = {
        loss: totals.lossSum / totals.images,
        accuracy: totals.correct / totals.images,
        val_loss: validation.loss,
        val_accuracy: validation.accuracy,
        duration_ms: performance.now() - epochStart,
        images_per_sec: totals.images / (totals.trainMs / 1000),
        learning_rate: learningRate,
      };
      epochsRun = epoch;
      await hooks.onEpoch(epoch, lastMetrics);
      schedule.observe(epoch, { ...lastMetrics });
      checkpoint?.update(epoch, lastMetrics, model);
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
    // ModelCheckpoint's file is the model users keep, so the best checkpoint wins over restored weights.
    if (checkpoint) lastMetrics = checkpoint.restoreInto(model) ?? lastMetrics;

    const evaluation = evaluateModel({
      model,
      validation: split.validation,
      test: split.test,
      classNames: split.classNames,
      loss: config.loss,
      seed: deriveSeed(job.sweepSeed, "sample-predictions"),
      tableRows: split.tableRows,
    });
    const testMetrics = { test_loss: evaluation.test.loss, test_accuracy: evaluation.test.accuracy };
    const metadata: ModelMetadata = {
      classNames: split.classNames,
      inputShape,
      preprocessing: split.preprocessing,
      dataset: split.dataset,
      params,
      metrics: { ...(lastMetrics ?? {}), ...testMetrics, test_macro_f1: evaluation.test.macro.f1, epochs_run: epochsRun },
      backend,
      createdAt: new Date().toISOString(),
    };
    const artifact = await exportArtifact(model, metadata);
    return { epochsRun, testMetrics, evaluation, artifact, ...(stopReason ? { stopReason } : {}) };
  } finally {
    best.dispose();
    checkpoint?.dispose();
    model.dispose();
    optimizer.dispose();
  }
}
