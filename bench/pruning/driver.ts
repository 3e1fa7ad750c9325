// A minimal in-memory study for the benchmark: trials with their reports, a StudyView over them, and the loop
// "ask → report every epoch → ask the pruner → tell". It calls the pruner exactly as the study does
// (initialAttrs at creation, shouldPrune after each report).
import type { Params } from "../../search/parameters";
import type { TrialStateName } from "../../search/trial-state";
import type { Direction, FrozenTrial, Pruner, StudyView } from "../../search/types";

interface BenchTrial extends FrozenTrial {
  state: TrialStateName;
  params: Params;
  value: number | null;
  intermediate: Record<number, number>;
}

export class BenchStudy implements StudyView {
  private readonly all: BenchTrial[] = [];
  // Per-state lists kept up to date so that trials(["complete"]) costs nothing per pruner call.
  private readonly byState = new Map<TrialStateName, BenchTrial[]>();

  constructor(
    readonly direction: Direction,
    readonly seed: number,
  ) {}

  trials(states?: readonly TrialStateName[]): readonly FrozenTrial[] {
    if (!states) return this.all;
    if (states.length === 1) return this.byState.get(states[0]) ?? [];
    return this.all.filter((t) => states.includes(t.state));
  }

  get size(): number {
    return this.all.length;
  }

  create(pruner: Pruner): BenchTrial {
    const number = this.all.length;
    const trial: BenchTrial = {
      number,
      state: "running",
      params: {},
      value: null,
      intermediate: {},
      systemAttrs: pruner.initialAttrs?.(this, number) ?? {},
    };
    this.all.push(trial);
    this.listOf("running").push(trial);
    return trial;
  }

  finish(trial: BenchTrial, state: "complete" | "pruned", value: number | null): void {
    const running = this.listOf("running");
    running.splice(running.lastIndexOf(trial), 1);
    trial.state = state;
    trial.value = value;
    this.listOf(state).push(trial);
  }

  private listOf(state: TrialStateName): BenchTrial[] {
    let list = this.byState.get(state);
    if (!list) this.byState.set(state, (list = []));
    return list;
  }
}

export interface TrialOutcome {
  number: number;
  params: Params;
  epochs: number;
  state: "complete" | "pruned";
  finalObserved: number | null;
}

/** Runs one trial: reports `observe(epoch)` for epochs 1..maxEpochs, stopping as soon as the pruner says so.
 *  The pruner is asked after the last report too, as bench_pruning.py does: a trial pruned there has used all
 *  its epochs but does not count as complete. */
export function runTrial(
  study: BenchStudy,
  pruner: Pruner,
  propose: (study: BenchStudy, trial: FrozenTrial) => Params,
  observe: (params: Params, trialNumber: number) => (epoch: number) => number,
  maxEpochs: number,
): TrialOutcome {
  const trial = study.create(pruner);
  trial.params = propose(study, trial);
  const curve = observe(trial.params, trial.number);
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    const value = curve(epoch);
    trial.intermediate[epoch] = value;
    if (pruner.shouldPrune(study, trial).prune) {
      study.finish(trial, "pruned", null);
      return { number: trial.number, params: trial.params, epochs: epoch, state: "pruned", finalObserved: null };
    }
  }
  const final = trial.intermediate[maxEpochs];
  study.finish(trial, "complete", final);
  return { number: trial.number, params: trial.params, epochs: maxEpochs, state: "complete", finalObserved: final };
}
