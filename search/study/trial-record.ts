// A study's own, mutable record of one trial, and the frozen snapshots samplers, pruners and callers see.
// Every change goes through `moveTo`, which applies the one state machine; a finished record refuses changes.
import { SearchError } from "../errors";
import type { Params, ParamValue } from "../parameters";
import { canTransition, isFinished, type TrialStateName } from "../trial-state";
import type { FrozenTrial } from "../types";

export class TrialRecord {
  private snapshot: FrozenTrial | null = null;

  constructor(
    readonly number: number,
    private state: TrialStateName,
    private params: Params,
    private value: number | null,
    private intermediate: Record<number, number>,
    private systemAttrs: Record<string, unknown>,
    private sampleAttempt?: number,
  ) {}

  static fromFrozen(trial: FrozenTrial): TrialRecord {
    const { number, state, params, value, intermediate, systemAttrs, sampleAttempt } = trial;
    return new TrialRecord(number, state, { ...params }, value, { ...intermediate }, { ...systemAttrs }, sampleAttempt);
  }

  get currentState(): TrialStateName {
    return this.state;
  }

  get finished(): boolean {
    return isFinished(this.state);
  }

  /** Read-only, deep-frozen view; the same object until the record changes. */
  frozen(): FrozenTrial {
    this.snapshot ??= Object.freeze({
      number: this.number,
      state: this.state,
      params: Object.freeze({ ...this.params }),
      value: this.value,
      intermediate: Object.freeze({ ...this.intermediate }),
      systemAttrs: Object.freeze({ ...this.systemAttrs }),
      ...(this.sampleAttempt ? { sampleAttempt: this.sampleAttempt } : {}),
    });
    return this.snapshot;
  }

  /** Refuses any change to a finished trial (complete, pruned, failed). */
  assertOpen(action: string): void {
    if (this.finished) throw new SearchError("trial_finished", `trial ${this.number} is ${this.state}; cannot ${action}`);
  }

  moveTo(state: TrialStateName, value: number | null = null): void {
    this.assertOpen(`mark it ${state}`);
    if (!canTransition(this.state, state)) {
      throw new SearchError("invalid_transition", `trial ${this.number} cannot go from ${this.state} to ${state}`);
    }
    this.state = state;
    this.value = value;
    this.changed();
  }

  setParams(params: Params, sampleAttempt: number): void {
    this.params = { ...params };
    this.sampleAttempt = sampleAttempt || undefined;
    this.changed();
  }

  setParam(name: string, value: ParamValue): void {
    this.assertOpen(`define parameter ${name}`);
    this.params[name] = value;
    this.changed();
  }

  hasParam(name: string): boolean {
    return name in this.params;
  }

  param(name: string): ParamValue {
    return this.params[name];
  }

  /** Records a reported value; reporting the same step again with the same value is a no-op (a resent epoch). */
  report(step: number, value: number): void {
    this.assertOpen(`report step ${step}`);
    if (this.state !== "running") {
      throw new SearchError("invalid_transition", `trial ${this.number} is ${this.state}; only running trials report`);
    }
    if (!Number.isInteger(step) || step < 0) throw new SearchError("invalid_value", `step must be a non-negative integer, got ${step}`);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new SearchError("invalid_value", `trial ${this.number} step ${step}: value must be a finite number, got ${value}; tell the trial "failed" instead`);
    }
    const previous = this.intermediate[step];
    if (previous === value) return;
    if (previous !== undefined) throw new SearchError("invalid_value", `trial ${this.number} already reported ${previous} at step ${step}`);
    this.intermediate[step] = value;
    this.changed();
  }

  private changed(): void {
    this.snapshot = null;
  }
}
