// Trial parameters of the training procedure itself (optimizer settings, learning-rate schedule, loss, class
// weights), shared by every model template, and the typed config the trainer reads from them.
// Free of TF.js: the sweep form and the document validator import these rules in the browser and the server.
import type { ParamValue } from "../../search/parameters";
import type { ParameterRule } from "./cnn-parameters";

// sgd, sgd with momentum, sgd with Nesterov momentum, Adam, AdamW (decoupled decay), RMSprop (never centered), Adagrad.
export const OPTIMIZERS = ["adam", "adamw", "sgd", "momentum", "nesterov", "rmsprop", "adagrad"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const LR_SCHEDULES = ["constant", "cosine", "step", "plateau"] as const;
export type LrScheduleName = (typeof LR_SCHEDULES)[number];
export const LOSSES = ["sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy", "mse"] as const;
export type LossName = (typeof LOSSES)[number];
export const CLASS_WEIGHTS = ["none", "balanced"] as const;
export type ClassWeightName = (typeof CLASS_WEIGHTS)[number];
/** Epoch metrics a plateau schedule can watch (the same names early stopping uses). */
export const LR_MONITORS = ["val_loss", "val_accuracy", "loss", "accuracy"] as const;
export type LrMonitor = (typeof LR_MONITORS)[number];

/** Added to every template's parameters. Defaults are Keras's where Keras has one. */
export const TRAINING_PARAMETERS: Record<string, ParameterRule> = {
  momentum: { type: "number", min: 0, max: 0.999, default: 0.9, help: "momentum of optimizers momentum and nesterov (plain sgd has none)" },
  weight_decay: { type: "number", min: 0, max: 1, default: 0.004, help: "adamw's decoupled weight decay per step (times the learning rate)" },
  lr_schedule: { type: "enum", values: LR_SCHEDULES, default: "constant", help: "learning rate per epoch: constant, cosine decay, step decay, or reduce on plateau" },
  lr_factor: { type: "number", min: 0, max: 1, exclusiveMin: true, default: 0.1, help: "step and plateau schedules multiply the learning rate by this" },
  lr_step_epochs: { type: "int", min: 1, max: 500, default: 10, help: "step schedule: epochs between decays" },
  lr_patience: { type: "int", min: 0, max: 500, default: 10, help: "plateau schedule: epochs without improvement before a decay" },
  lr_monitor: { type: "enum", values: LR_MONITORS, default: "val_loss", help: "plateau schedule: the metric watched" },
  lr_min: { type: "number", min: 0, max: 10, default: 0, help: "floor of every schedule (cosine decays to it)" },
  loss: { type: "enum", values: LOSSES, default: "sparse_categorical_crossentropy", help: "training loss" },
  class_weight: { type: "enum", values: CLASS_WEIGHTS, default: "none", help: "balanced: weight each class by n / (classes * its count) in training" },
};

export interface TrainingConfig {
  optimizer: OptimizerName;
  learningRate: number;
  momentum: number;
  weightDecay: number;
  batchSize: number;
  epochs: number;
  schedule: { name: LrScheduleName; factor: number; stepEpochs: number; patience: number; monitor: LrMonitor; minLearningRate: number };
  loss: LossName;
  classWeight: ClassWeightName;
}

/** Reads the training settings from a trial's parameters, defaults already filled (withDefaults). */
export function trainingConfigFromParams(p: Record<string, ParamValue>): TrainingConfig {
  return {
    optimizer: String(p.optimizer) as OptimizerName,
    learningRate: Number(p.learning_rate),
    momentum: Number(p.momentum),
    weightDecay: Number(p.weight_decay),
    batchSize: Number(p.batch_size),
    epochs: Number(p.epochs),
    schedule: {
      name: String(p.lr_schedule) as LrScheduleName,
      factor: Number(p.lr_factor),
      stepEpochs: Number(p.lr_step_epochs),
      patience: Number(p.lr_patience),
      monitor: String(p.lr_monitor) as LrMonitor,
      minLearningRate: Number(p.lr_min),
    },
    loss: String(p.loss) as LossName,
    classWeight: String(p.class_weight) as ClassWeightName,
  };
}
