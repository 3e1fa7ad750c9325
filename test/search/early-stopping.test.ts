// Traces computed by hand from Keras 3's EarlyStopping.on_epoch_end (keras/src/callbacks/early_stopping.py).
import { describe, expect, it } from "vitest";
import { autoDirection, createEarlyStopping, EarlyStopping, type EarlyStoppingOptions } from "../../search/early-stopping";

/** Feeds values for epochs 1, 2, … until a stop; returns the stopping epoch (null if none) and per-epoch flags. */
function trace(options: EarlyStoppingOptions, values: number[]) {
  const es = createEarlyStopping(options);
  const isBest: boolean[] = [];
  for (let i = 0; i < values.length; i++) {
    const step = es.update(i + 1, values[i]);
    isBest.push(step.isBest);
    if (step.stop) return { stoppedAt: i + 1, isBest, step };
  }
  return { stoppedAt: null, isBest, step: null };
}

describe("early stopping (Keras semantics)", () => {
  it("counts patience in non-improving epochs after the best", () => {
    // Keras: best 0.5 at epoch 2; epochs 3, 4 do not improve -> wait 2 >= patience 2 at epoch 4.
    const r = trace({ monitor: "val_loss", patience: 2 }, [0.6, 0.5, 0.55, 0.52, 0.1]);
    expect(r.stoppedAt).toBe(4);
    expect(r.isBest).toEqual([true, true, false, false]);
    expect(r.step?.reason).toBe("stopped at epoch 4: val_loss has not improved on 0.5 (epoch 2) for 2 epochs (patience 2)");
    expect(r.step?.bestEpoch).toBe(2);
  });

  it("never stops at the first epoch, even with patience 0", () => {
    expect(trace({ patience: 0 }, [NaN]).stoppedAt).toBe(null); // wait 1 >= 0, but epoch index 0
    expect(trace({ patience: 0 }, [NaN, 1, 2]).stoppedAt).toBe(3); // 1 improves on "nothing yet"; 2 does not
    expect(trace({ patience: 0 }, [1, 0.9, 0.9]).stoppedAt).toBe(3); // 0.9 is not < 0.9
  });

  it("requires an improvement larger than |minDelta| (its sign is ignored)", () => {
    // min mode, minDelta 0.05: 0.97 + 0.05 < 1.0 is false -> no improvement; 0.94 + 0.05 < 1.0 is true.
    for (const minDelta of [0.05, -0.05]) {
      const r = trace({ monitor: "val_loss", patience: 1, minDelta }, [1.0, 0.97, 0.94]);
      expect(r.stoppedAt).toBe(2);
    }
    const r = trace({ monitor: "val_loss", patience: 2, minDelta: 0.05 }, [1.0, 0.97, 0.94, 0.93, 0.92]);
    expect(r.isBest).toEqual([true, false, true, false, false]);
    expect(r.stoppedAt).toBe(5);
    expect(r.step?.reason).toContain("by more than 0.05");
  });

  it("with a baseline, an improvement resets the count only if it also beats the baseline", () => {
    // max mode, baseline 0.8, patience 3: epochs 1-3 improve but stay under 0.8 -> wait 1,2,3 (no stop on an
    // improving epoch); epoch 4 does not improve -> wait 4 >= 3 -> stop.
    const r = trace({ monitor: "val_accuracy", patience: 3, baseline: 0.8 }, [0.5, 0.6, 0.7, 0.65, 0.9]);
    expect(r.stoppedAt).toBe(4);
    expect(r.isBest).toEqual([true, true, true, false]);
    // Beating the baseline resets: never stops here.
    expect(trace({ monitor: "val_accuracy", patience: 2, baseline: 0.8 }, [0.5, 0.85, 0.84, 0.9, 0.89]).stoppedAt).toBe(null);
  });

  it("mode auto follows the metric: accuracy up, loss down, unknown names need a mode", () => {
    expect(autoDirection("val_accuracy")).toBe("max");
    expect(autoDirection("val_loss")).toBe("min");
    expect(autoDirection("auc")).toBe("max");
    expect(() => autoDirection("throughput")).toThrow(/mode/);
    expect(trace({ monitor: "val_accuracy", patience: 1 }, [0.5, 0.4]).stoppedAt).toBe(2);
    expect(trace({ monitor: "val_accuracy", mode: "min", patience: 1 }, [0.5, 0.4, 0.45]).stoppedAt).toBe(3);
  });

  it("ignores epochs before startFromEpoch and names the epoch to restore", () => {
    const r = trace({ monitor: "val_loss", patience: 1, startFromEpoch: 2, restoreBestWeights: true }, [0.1, 0.2, 0.5, 0.6]);
    // Epochs 1-2 ignored (Keras indices 0-1); best 0.5 at epoch 3; epoch 4 stops.
    expect(r.stoppedAt).toBe(4);
    expect(r.step).toMatchObject({ stop: true, bestEpoch: 3, restoreEpoch: 3 });
    expect(r.step?.reason).toContain("restore the weights of epoch 3");
  });

  it("restoreBestWeights falls back to the first monitored epoch when nothing ever improves", () => {
    const r = trace({ monitor: "val_loss", patience: 1, restoreBestWeights: true }, [NaN, NaN]);
    expect(r.step).toMatchObject({ stop: true, bestEpoch: 1, restoreEpoch: 1 });
  });

  it("survives a restart through JSON, and stays stopped", () => {
    const values = [0.6, 0.5, 0.55, 0.52, 0.51, 0.49, 0.5, 0.5, 0.5];
    const straight = trace({ patience: 3 }, values);
    const es = createEarlyStopping({ patience: 3 });
    let stoppedAt: number | null = null;
    let current = es;
    for (let i = 0; i < values.length && stoppedAt === null; i++) {
      current = EarlyStopping.fromJSON(JSON.parse(JSON.stringify(current.toJSON())));
      if (current.update(i + 1, values[i]).stop) stoppedAt = i + 1;
    }
    expect(stoppedAt).toBe(straight.stoppedAt);
    expect(current.stopped).toBe(true);
    expect(current.update(99, 0).stop).toBe(true);
  });

  it("rejects bad options with the field named", () => {
    expect(() => createEarlyStopping({ patience: -1 })).toThrow(/patience/);
    expect(() => createEarlyStopping({ mode: "sideways" as never })).toThrow(/mode/);
  });
});
