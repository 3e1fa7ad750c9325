// Learning-rate schedules: Keras's CosineDecay over the epochs, step decay, and ReduceLROnPlateau's rules.
import { describe, expect, it } from "vitest";
import { createLrSchedule } from "../../../server/training/lr-schedules";
import type { TrainingConfig } from "../../../server/training/training-parameters";

type Schedule = TrainingConfig["schedule"];
const schedule = (overrides: Partial<Schedule>, learningRate = 0.1, epochs = 4) =>
  createLrSchedule({
    learningRate,
    epochs,
    schedule: { name: "constant", factor: 0.1, stepEpochs: 10, patience: 10, monitor: "val_loss", minLearningRate: 0, ...overrides },
  });

const epochs = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("learning-rate schedules", () => {
  it("constant keeps the rate", () => {
    const s = schedule({});
    expect(epochs(4).map((e) => s.rateFor(e))).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(s.observe(1, { val_loss: 1 })).toBeNull();
  });

  it("cosine starts at the rate and decays along half a cosine towards lr_min", () => {
    const s = schedule({ name: "cosine", minLearningRate: 0.02 });
    const rates = epochs(4).map((e) => s.rateFor(e));
    expect(rates[0]).toBe(0.1);
    rates.forEach((rate, i) => expect(rate).toBeCloseTo(0.02 + 0.08 * 0.5 * (1 + Math.cos((Math.PI * i) / 4)), 12));
    expect(rates[2]).toBeCloseTo(0.06, 12); // halfway
    expect(rates.every((r, i) => i === 0 || r < rates[i - 1])).toBe(true);
  });

  it("step decay multiplies by lr_factor every lr_step_epochs, not below lr_min", () => {
    const s = schedule({ name: "step", factor: 0.5, stepEpochs: 2, minLearningRate: 0.02 }, 0.1, 8);
    expect(epochs(8).map((e) => s.rateFor(e))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02]);
  });

  it("reduce-on-plateau cuts the rate after `patience` epochs without improvement, as Keras does", () => {
    const s = schedule({ name: "plateau", factor: 0.5, patience: 2, minLearningRate: 0.03 });
    const losses = [1.0, 0.9, 0.95, 0.9, 0.89995, 0.8, 0.85, 0.86, 0.87, 0.88];
    const rates: number[] = [];
    const notes: (string | null)[] = [];
    losses.forEach((val_loss, i) => {
      rates.push(s.rateFor(i + 1));
      notes.push(s.observe(i + 1, { val_loss }));
    });
    // Epoch 3 and 4 do not improve on 0.9 (equal is not better); 5 is within min_delta 1e-4; 6 improves.
    expect(rates).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.03, 0.03]);
    expect(notes[3]).toMatch(/epoch 4: val_loss has not improved for 2 epoch\(s\); learning rate 0.1 -> 0.05/);
    expect(notes.filter(Boolean)).toHaveLength(2); // at lr_min it stops reducing
  });

  it("reduce-on-plateau watches accuracies upwards", () => {
    const s = schedule({ name: "plateau", monitor: "val_accuracy", factor: 0.1, patience: 0 });
    s.observe(1, { val_accuracy: 0.5 });
    expect(s.observe(2, { val_accuracy: 0.6 })).toBeNull();
    expect(s.observe(3, { val_accuracy: 0.55 })).toMatch(/0.1 -> 0.01/);
    expect(s.rateFor(4)).toBeCloseTo(0.01, 15);
  });
});
