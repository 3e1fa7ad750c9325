// The optimizers a trial can choose, built from its parameters, and the one way to change an optimizer's
// learning rate between epochs (schedules), whichever optimizer it is.
import * as tf from "@tensorflow/tfjs";
import { AdamWOptimizer } from "./adamw-optimizer";
import { TRAINING_PARAMETERS, type OptimizerName } from "./training-parameters";

export type { OptimizerName };

export interface OptimizerSettings {
  /** sgd-family momentum (optimizers "momentum" and "nesterov"). */
  momentum?: number;
  /** adamw's decoupled weight decay. */
  weightDecay?: number;
}

/** The parameters' defaults, for callers that leave a setting out. */
const DEFAULT_MOMENTUM = Number(TRAINING_PARAMETERS.momentum.default);
const DEFAULT_WEIGHT_DECAY = Number(TRAINING_PARAMETERS.weight_decay.default);

export function createOptimizer(name: OptimizerName, learningRate: number, settings: OptimizerSettings = {}): tf.Optimizer {
  const momentum = settings.momentum ?? DEFAULT_MOMENTUM;
  switch (name) {
    case "adam":
      // Our Adam-family optimizer with no decay: the same arithmetic as tf.train.adam, through the fused update.
      return new AdamWOptimizer({ learningRate, weightDecay: 0 });
    case "adamw":
      return new AdamWOptimizer({ learningRate, weightDecay: settings.weightDecay ?? DEFAULT_WEIGHT_DECAY });
    case "sgd":
      return tf.train.sgd(learningRate);
    case "momentum":
      return new MomentumOptimizer(learningRate, momentum, false);
    case "nesterov":
      return new MomentumOptimizer(learningRate, momentum, true);
    case "rmsprop":
      // Never centered: tfjs's centered RMSProp produces NaN. Keras's rho 0.9, no momentum, epsilon 1e-7.
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7, false);
    case "adagrad":
      return tf.train.adagrad(learningRate);
    default:
      throw new Error(`unknown optimizer '${name as string}'`);
  }
}

/** tf.train.momentum's dispose() forgets the learning-rate scalar it inherits from SGD: one tensor leaked per trial. */
class MomentumOptimizer extends tf.MomentumOptimizer {
  override dispose(): void {
    super.dispose();
    this.c.dispose();
  }
}

/** TF.js optimizers keep their rate in a protected field; SGD and momentum also cache it as a scalar (`c`) that
 *  their setLearningRate refreshes. */
interface WithLearningRate {
  learningRate: number;
  setLearningRate?: (learningRate: number) => void;
}

export function learningRateOf(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as WithLearningRate).learningRate;
}

export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  if (learningRateOf(optimizer) === learningRate) return;
  // Not `instanceof tf.SGDOptimizer`: TF.js optimizers' hasInstance accepts any optimizer.
  const target = optimizer as unknown as WithLearningRate;
  if (typeof target.setLearningRate === "function") target.setLearningRate(learningRate);
  else target.learningRate = learningRate;
}
