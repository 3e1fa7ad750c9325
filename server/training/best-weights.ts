// Keeping the weights of a trial's best epoch: Keras's restore_best_weights (early stopping decides when) and
// ModelCheckpoint(save_best_only=True) (this module decides by its monitor: strictly better, NaN never).
import * as tf from "@tensorflow/tfjs";
import { autoDirection } from "../../search/early-stopping";
import type { EpochMetrics } from "./types";

/** A copy of one epoch's weights and the metrics they scored. */
export class BestWeights {
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

/** ModelCheckpoint(save_best_only=True): after each epoch, keeps the weights if `monitor` beat every earlier epoch. */
export class BestCheckpoint {
  private readonly kept = new BestWeights();
  private readonly direction: "min" | "max";
  private best: number | null = null;
  epoch: number | null = null;

  constructor(private readonly monitor: string, mode: "min" | "max" | "auto" = "auto") {
    this.direction = mode === "auto" ? autoDirection(monitor) : mode;
  }

  update(epoch: number, metrics: EpochMetrics, model: tf.LayersModel): boolean {
    const value = (metrics as unknown as Record<string, number>)[this.monitor];
    if (Number.isNaN(value) || value === undefined) return false;
    const better = this.best === null || (this.direction === "min" ? value < this.best : value > this.best);
    if (!better) return false;
    this.best = value;
    this.epoch = epoch;
    this.kept.keep(model, metrics);
    return true;
  }

  restoreInto(model: tf.LayersModel): EpochMetrics | null {
    return this.kept.restoreInto(model);
  }

  dispose(): void {
    this.kept.dispose();
  }
}
