// Per-epoch learning-rate schedules, as Keras users know them: constant, cosine decay (CosineDecay over the
// trial's epochs, down to lr_min), step decay (a LearningRateScheduler that multiplies by lr_factor every
// lr_step_epochs) and ReduceLROnPlateau (monitor, factor, patience, min_lr; Keras's min_delta 1e-4, no cooldown).
// The trainer asks for the rate before each epoch and reports the epoch's metrics after it.
import { autoDirection } from "../../search/early-stopping";
import type { TrainingConfig } from "./training-parameters";

export interface LrSchedule {
  /** The rate to train epoch `epoch` (1-based) with. */
  rateFor(epoch: number): number;
  /** Feeds a finished epoch's metrics; returns a note when the schedule changed the rate because of them. */
  observe(epoch: number, metrics: Record<string, number>): string | null;
}

/** Keras ReduceLROnPlateau's default min_delta. */
const PLATEAU_MIN_DELTA = 1e-4;

export function createLrSchedule(config: Pick<TrainingConfig, "learningRate" | "epochs" | "schedule">): LrSchedule {
  const { learningRate: initial, epochs, schedule } = config;
  const floor = Math.min(schedule.minLearningRate, initial);
  switch (schedule.name) {
    case "constant":
      return { rateFor: () => initial, observe: () => null };
    case "cosine":
      return {
        // Epoch 1 trains at the full rate; the last epoch is one cosine step above the floor.
        rateFor: (epoch) => floor + (initial - floor) * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / epochs)),
        observe: () => null,
      };
    case "step":
      return {
        rateFor: (epoch) => Math.max(floor, initial * schedule.factor ** Math.floor((epoch - 1) / schedule.stepEpochs)),
        observe: () => null,
      };
    case "plateau":
      return plateauSchedule(initial, floor, schedule);
    default:
      throw new Error(`unknown learning-rate schedule '${schedule.name as string}'`);
  }
}

function plateauSchedule(initial: number, floor: number, schedule: TrainingConfig["schedule"]): LrSchedule {
  const { monitor, factor, patience } = schedule;
  const direction = autoDirection(monitor);
  let rate = initial;
  let best: number | null = null;
  let wait = 0;
  const improves = (value: number) =>
    !Number.isNaN(value) && (best === null || (direction === "min" ? value < best - PLATEAU_MIN_DELTA : value > best + PLATEAU_MIN_DELTA));
  return {
    rateFor: () => rate,
    observe(epoch, metrics) {
      const value = metrics[monitor];
      if (improves(value)) {
        best = value;
        wait = 0;
        return null;
      }
      wait += 1;
      if (wait < patience || rate <= floor) return null;
      const previous = rate;
      rate = Math.max(previous * factor, floor);
      wait = 0;
      return `epoch ${epoch}: ${monitor} has not improved for ${patience} epoch(s); learning rate ${short(previous)} -> ${short(rate)}`;
    },
  };
}

const short = (rate: number) => String(Number(rate.toPrecision(6)));
