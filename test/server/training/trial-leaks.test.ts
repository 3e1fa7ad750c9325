// Twenty short trials in one process, over every optimizer, schedule, loss, class weighting, checkpointing,
// early stopping, a stop request and a divergence, leave TF.js's tensor count exactly where it was: a trainer
// process runs trials back to back for hours.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Params } from "../../../search/parameters";
import { initTrainingBackend } from "../../../server/training/backend";
import { trainTrial } from "../../../server/training/train-trial";
import { LOSSES, LR_SCHEDULES, OPTIMIZERS } from "../../../server/training/training-parameters";
import type { TrainJob } from "../../../server/training/types";

const job = (n: number, params: Params, extra: Partial<TrainJob> = {}): TrainJob => ({
  trialId: `leak-${n}`,
  sweepSeed: 5,
  trialSeed: 100 + n,
  attempt: 0,
  dataset: { name: "fashion-mnist", subset: 100, validationSplit: 0.2 },
  template: n % 5 === 4 ? "mlp" : "cnn",
  params: { epochs: 2, filters: 2, units: 8, batch_size: 32, learning_rate: 0.01, ...params },
  ...extra,
});

/** Twenty trials that together use every option; each entry says how it should end. */
function trials(): { job: TrainJob; ends: "complete" | "diverged" | "stopped" }[] {
  const list: { job: TrainJob; ends: "complete" | "diverged" | "stopped" }[] = [];
  OPTIMIZERS.forEach((optimizer, i) => list.push({ job: job(list.length, { optimizer, lr_schedule: LR_SCHEDULES[i % LR_SCHEDULES.length] }), ends: "complete" }));
  LOSSES.forEach((loss, i) => list.push({ job: job(list.length, { loss, class_weight: i % 2 ? "balanced" : "none" }), ends: "complete" }));
  list.push({ job: job(list.length, { lr_schedule: "plateau", lr_patience: 0, epochs: 3 }, { checkpoint: { monitor: "val_accuracy", mode: "max" } }), ends: "complete" });
  const earlyStopping = { monitor: "val_loss", patience: 0, minDelta: 10, restoreBestWeights: true };
  list.push({ job: job(list.length, { epochs: 3 }, { earlyStopping }), ends: "complete" });
  // sgd at lr 10 against an l2 penalty of 1 multiplies the weights by -19 per step: Inf, then NaN, in epoch 1.
  list.push({ job: job(list.length, { optimizer: "sgd", learning_rate: 10, l2: 1, batch_size: 1 }), ends: "diverged" });
  list.push({ job: job(list.length, { epochs: 5 }), ends: "stopped" });
  while (list.length < 20) list.push({ job: job(list.length, { batch_norm: true, optimizer: "adamw", weight_decay: 0.1 }), ends: "complete" });
  return list;
}

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

describe("trials in one process", () => {
  it("free every tensor they make, however they end", async () => {
    const all = trials();
    expect(all).toHaveLength(20);
    const before = tf.memory().numTensors;
    for (const { job: trial, ends } of all) {
      let stop = false;
      const hooks = { onEpoch: () => void (stop = ends === "stopped"), shouldStop: () => stop };
      if (ends === "diverged") {
        await expect(trainTrial(trial, hooks)).rejects.toThrow(/^diverged at epoch 1: loss is NaN$/);
      } else {
        const result = await trainTrial(trial, hooks);
        expect(result.epochsRun, trial.trialId).toBeGreaterThan(0);
        expect(Number.isFinite(result.testMetrics.test_accuracy), trial.trialId).toBe(true);
      }
      expect(tf.memory().numTensors, `${trial.trialId} (${JSON.stringify(trial.params)})`).toBe(before);
    }
  });
});
