// Sweep documents shared by tests: the README's example and a tiny one that trains in seconds.
export const EXAMPLE_SWEEP = {
  name: "fmnist-quick",
  dataset: { name: "fashion-mnist", subset: 5000 },
  model: { template: "cnn" },
  method: "random",
  metric: { name: "val_accuracy", goal: "maximize" },
  parameters: {
    learning_rate: { distribution: "log_uniform_values", min: 0.0001, max: 0.01 },
    filters: { values: [16, 32, 64] },
    kernel_size: { values: [3, 5] },
    units: { min: 32, max: 256 },
    batch_size: { values: [32, 64] },
    optimizer: { values: ["adam", "sgd", "rmsprop"] },
    epochs: { value: 3 },
  },
  budget: { max_trials: 8, concurrency: 2 },
  seed: 1,
};

/** Small enough to train in a few seconds per trial on one core, good enough to beat 0.5 accuracy. `epochs` is
 *  each trial's epoch count: the server refuses reports of later epochs, so a scripted trainer must not exceed it. */
export function tinySweep(overrides: { name?: string; max_trials?: number; concurrency?: number; subset?: number; epochs?: number } = {}) {
  return {
    name: overrides.name ?? "tiny",
    dataset: { name: "fashion-mnist", subset: overrides.subset ?? 1000 },
    model: { template: "cnn" },
    method: "random",
    metric: { name: "val_accuracy", goal: "maximize" },
    parameters: {
      learning_rate: { distribution: "log_uniform_values", min: 0.002, max: 0.004 },
      filters: { values: [8] },
      kernel_size: { value: 3 },
      units: { values: [32] },
      batch_size: { value: 32 },
      optimizer: { value: "adam" },
      epochs: { value: overrides.epochs ?? 1 },
    },
    budget: { max_trials: overrides.max_trials ?? 2, concurrency: overrides.concurrency ?? 2 },
    seed: 3,
  };
}
