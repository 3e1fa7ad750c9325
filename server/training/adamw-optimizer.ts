// Adam with decoupled weight decay (Loshchilov & Hutter's AdamW, Keras's and PyTorch's AdamW): each step first
// scales the parameter by (1 - lr * weightDecay), then takes the Adam step with exactly tf.train.adam's
// arithmetic. weightDecay 0 is plain Adam. TF.js has no AdamW; the per-variable update is the fused adamUpdate
// (one native pass on wasm, TF.js ops elsewhere).
import * as tf from "@tensorflow/tfjs";
import { adamUpdate } from "./fused-adam";

export interface AdamWOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** Defaults to the backend's epsilon, as tf.train.adam does (1e-7 on cpu and wasm). */
  epsilon?: number;
  weightDecay?: number;
}

type VariableGradients = Parameters<tf.Optimizer["applyGradients"]>[0];
type NamedTensor = Extract<VariableGradients, unknown[]>[number];

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

export class AdamWOptimizer extends tf.Optimizer {
  static get className(): string {
    return "AdamW";
  }

  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private firstMoments: Slot[] = [];
  private secondMoments: Slot[] = [];

  constructor(options: AdamWOptions) {
    super();
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? tf.backend().epsilon();
    this.weightDecay = options.weightDecay ?? 0;
  }

  applyGradients(variableGradients: VariableGradients): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]): NamedTensor => ({ name, tensor }));
    const hyper = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
      step: this.iterations + 1,
    };
    named.forEach(({ name, tensor: gradient }, i) => {
      const param = tf.engine().registeredVariables[name];
      // Moments are made on first sight, as tf.train.adam does, so slot i follows the i-th variable.
      this.firstMoments[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(param).variable(false)) };
      this.secondMoments[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(param).variable(false)) };
      if (gradient == null) return;
      const m = this.firstMoments[i].variable;
      const v = this.secondMoments[i].variable;
      const next = adamUpdate(param, gradient, m, v, hyper);
      // assign shares the new tensor's data; the returned handles are then ours to drop.
      param.assign(next.param);
      m.assign(next.m);
      v.assign(next.v);
      tf.dispose([next.param, next.m, next.v]);
    });
    this.incrementIterations();
  }

  dispose(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((slot) => slot.variable));
    this.firstMoments = [];
    this.secondMoments = [];
  }

  async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.firstMoments, ...this.secondMoments];
    return [await this.saveIterations(), ...slots.map((slot) => ({ name: slot.originalName, tensor: slot.variable }))];
  }

  async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const values = await this.extractIterations(weightValues);
    this.dispose();
    const count = values.length / 2;
    const toSlot = (value: NamedTensor): Slot => ({ originalName: value.name, variable: value.tensor.variable(false) });
    this.firstMoments = values.slice(0, count).map(toSlot);
    this.secondMoments = values.slice(count).map(toSlot);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new (cls as unknown as new (options: AdamWOptions) => T)(config as unknown as AdamWOptions);
  }
}

tf.serialization.registerClass(AdamWOptimizer);
