// Per-trial early stopping with exactly the rules of Keras 3's EarlyStopping callback (no peers involved):
// an epoch improves when (value - minDelta) beats the best so far in the monitored direction; every monitored
// epoch adds one to `wait`, an improvement that also beats `baseline` (when given) resets it to 0; training stops
// at a non-improving epoch once wait >= patience, never at the first epoch. Epochs before `startFromEpoch` are
// ignored. NaN never improves. The state is plain JSON so a restarted server resumes the count where it was.
import { PrunerOptionError, formatValue, plural, requireInteger } from "./pruners/common";

export type EarlyStoppingMode = "min" | "max" | "auto";

export interface EarlyStoppingOptions {
  /** The metric, e.g. "val_loss" (default, as Keras). Only used for `auto` mode and the wording. */
  monitor?: string;
  mode?: EarlyStoppingMode;
  /** Non-improving epochs tolerated before stopping (default 0). */
  patience?: number;
  /** An improvement must exceed this (its sign is ignored, as in Keras; default 0). */
  minDelta?: number;
  /** A value the metric must beat for `wait` to reset. */
  baseline?: number | null;
  /** Report the best epoch as the one to restore when stopping (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to skip (counted from the first epoch, Keras's start_from_epoch; default 0). */
  startFromEpoch?: number;
  /** Number of the first epoch as the caller counts (default 1). Keras counts from 0. */
  firstEpoch?: number;
}

export interface EarlyStoppingStep {
  stop: boolean;
  reason: string;
  /** Epoch of the best value so far (caller's numbering); null while none. */
  bestEpoch: number | null;
  /** This epoch set a new best. */
  isBest: boolean;
  /** When stopping with restoreBestWeights: the epoch whose weights to restore. */
  restoreEpoch?: number;
}

export interface EarlyStoppingState {
  version: 1;
  options: Required<Omit<EarlyStoppingOptions, "baseline">> & { baseline: number | null; direction: "min" | "max" };
  wait: number;
  /** null stands for "none yet" (±Infinity is not JSON). */
  best: number | null;
  bestEpoch: number | null;
  stoppedEpoch: number | null;
  stopReason: string | null;
}

const MAXIMISED = /(acc|accuracy|auc|precision|recall|f1|iou|map|r2)$/i;
const MINIMISED = /(loss|error|mse|mae|rmse|mape|perplexity|hinge|crossentropy|entropy)$/i;

/** Keras's `auto`: "loss" is minimised; otherwise the metric's known direction, or an error asking for a mode. */
export function autoDirection(monitor: string): "min" | "max" {
  const name = monitor.replace(/^val_/, "");
  if (MINIMISED.test(name)) return "min";
  if (MAXIMISED.test(name)) return "max";
  throw new PrunerOptionError("mode", `cannot tell whether "${monitor}" is minimised or maximised; pass mode "min" or "max"`);
}

export class EarlyStopping {
  private constructor(private readonly s: EarlyStoppingState) {}

  static create(options: EarlyStoppingOptions = {}): EarlyStopping {
    const monitor = options.monitor ?? "val_loss";
    const mode = options.mode ?? "auto";
    if (!["min", "max", "auto"].includes(mode)) throw new PrunerOptionError("mode", `must be min, max or auto, got ${mode}`);
    const minDelta = Math.abs(options.minDelta ?? 0);
    if (!Number.isFinite(minDelta)) throw new PrunerOptionError("minDelta", `must be finite, got ${options.minDelta}`);
    const baseline = options.baseline ?? null;
    if (baseline !== null && !Number.isFinite(baseline)) throw new PrunerOptionError("baseline", `must be finite, got ${baseline}`);
    return new EarlyStopping({
      version: 1,
      options: {
        monitor,
        mode,
        direction: mode === "auto" ? autoDirection(monitor) : mode,
        patience: requireInteger("patience", options.patience ?? 0, 0),
        minDelta,
        baseline,
        restoreBestWeights: options.restoreBestWeights ?? false,
        startFromEpoch: requireInteger("startFromEpoch", options.startFromEpoch ?? 0, 0),
        firstEpoch: requireInteger("firstEpoch", options.firstEpoch ?? 1, 0),
      },
      wait: 0,
      best: null,
      bestEpoch: null,
      stoppedEpoch: null,
      stopReason: null,
    });
  }

  static fromJSON(state: EarlyStoppingState): EarlyStopping {
    if (state?.version !== 1) throw new PrunerOptionError("version", `unsupported early-stopping state version ${state?.version}`);
    return new EarlyStopping(structuredClone(state));
  }

  toJSON(): EarlyStoppingState {
    return structuredClone(this.s);
  }

  get stopped(): boolean {
    return this.s.stoppedEpoch !== null;
  }

  /** Feeds one epoch's value (epochs in increasing order, caller's numbering). */
  update(epoch: number, value: number): EarlyStoppingStep {
    const s = this.s;
    const o = s.options;
    const at = `epoch ${epoch}`;
    const metric = o.monitor;
    if (s.stoppedEpoch !== null) return this.step(true, s.stopReason ?? `stopped at epoch ${s.stoppedEpoch}`, false);
    const index = epoch - o.firstEpoch; // Keras's 0-based epoch
    if (index < o.startFromEpoch) return this.step(false, `${at}: not monitored before epoch ${o.firstEpoch + o.startFromEpoch}`, false);
    // Keras: with restore_best_weights, the first monitored epoch is the fallback best even if it never improves.
    if (o.restoreBestWeights && s.bestEpoch === null) s.bestEpoch = epoch;
    s.wait += 1;
    const previousBest = s.best;
    if (this.improves(value, s.best)) {
      s.best = value;
      s.bestEpoch = epoch;
      const beatsBaseline = o.baseline === null || this.improves(value, o.baseline);
      if (beatsBaseline) {
        s.wait = 0;
        const over = previousBest === null ? "" : ` over ${formatValue(previousBest)}`;
        return this.step(false, `${at}: ${metric} ${formatValue(value)} is the best so far${over}`, true);
      }
      return this.step(false, `${at}: ${metric} ${formatValue(value)} is the best so far but not better than the baseline ${formatValue(o.baseline as number)} (${this.patienceUsed()})`, true);
    }
    const delta = o.minDelta > 0 ? ` by more than ${formatValue(o.minDelta)}` : "";
    const bestText = s.best === null ? "anything yet" : `${formatValue(s.best)} (epoch ${s.bestEpoch})`;
    if (s.wait >= o.patience && index > 0) {
      s.stoppedEpoch = epoch;
      const restore = o.restoreBestWeights && s.bestEpoch !== null ? `; restore the weights of epoch ${s.bestEpoch}` : "";
      s.stopReason = `stopped at ${at}: ${metric} has not improved on ${bestText}${delta} for ${plural(s.wait, "epoch")} (patience ${o.patience})${restore}`;
      return this.step(true, s.stopReason, false);
    }
    return this.step(false, `${at}: ${metric} ${formatValue(value)} did not improve on ${bestText}${delta} (${this.patienceUsed()})`, false);
  }

  private improves(value: number, reference: number | null): boolean {
    const { direction, minDelta } = this.s.options;
    if (Number.isNaN(value)) return false;
    if (reference === null) return true; // ±Infinity in Keras: any number improves on it
    return direction === "min" ? value + minDelta < reference : value - minDelta > reference;
  }

  private patienceUsed(): string {
    return `${this.s.wait} of ${plural(this.s.options.patience, "epoch")} of patience used`;
  }

  private step(stop: boolean, reason: string, isBest: boolean): EarlyStoppingStep {
    const { bestEpoch, options } = this.s;
    const restore = stop && options.restoreBestWeights && bestEpoch !== null ? { restoreEpoch: bestEpoch } : {};
    return { stop, reason, bestEpoch, isBest, ...restore };
  }
}

export function createEarlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  return EarlyStopping.create(options);
}
