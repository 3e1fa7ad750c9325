// One benchmark run (function × sampler × seed) and the separate suggestion-time measurement at n = 1000.
import { createStudy } from "../../search/study";
import { OBJECTIVES, type Objective } from "./objectives";
import { SAMPLER_FACTORIES } from "./samplers";

export interface RunJob {
  functionName: string;
  sampler: string;
  seed: number;
  trials: number;
}

export interface RunResult extends RunJob {
  /** Regret (best so far − f*) after each trial. */
  regret: number[];
  bestValue: number[];
  suggestMs: number[];
  /** CPU time of this process during each ask (GC threads included): unlike wall time, barely moved by other
   *  processes competing for the cores, so it tells a slow sampler from a busy machine. */
  suggestCpuMs: number[];
  tellMs: number[];
  wallS: number;
}

export function objectiveNamed(name: string): Objective {
  const objective = OBJECTIVES.find((o) => o.name === name);
  if (!objective) throw new Error(`unknown function ${name}; known: ${OBJECTIVES.map((o) => o.name).join(", ")}`);
  return objective;
}

export function runOnce(job: RunJob): RunResult {
  const objective = objectiveNamed(job.functionName);
  const study = createStudy({ space: objective.space, sampler: SAMPLER_FACTORIES[job.sampler].create(job.seed), seed: job.seed });
  const result: RunResult = { ...job, regret: [], bestValue: [], suggestMs: [], suggestCpuMs: [], tellMs: [], wallS: 0 };
  const start = performance.now();
  let best = Infinity;
  for (let i = 0; i < job.trials; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    const trial = study.ask();
    const t1 = performance.now();
    result.suggestCpuMs.push(cpuMs() - c0);
    const value = objective.evaluate(trial.params);
    const t2 = performance.now();
    study.tell(trial, value);
    const t3 = performance.now();
    best = Math.min(best, value);
    result.regret.push(best - objective.fStar);
    result.bestValue.push(best);
    result.suggestMs.push(t1 - t0);
    result.tellMs.push(t3 - t2);
  }
  result.wallS = (performance.now() - start) / 1000;
  return result;
}

/** Suggestion time with `history` finished trials already in the study (drawn by the random sampler, cheap to
 *  build), then the sampler under test proposes `measured` trials, each told before the next. `warmup` extra
 *  suggestions run first and are not counted (JIT compilation is a once-per-process cost, not a per-trial one). */
export function suggestTimeAtN(functionName: string, sampler: string, history: number, measured: number, seed = 0, warmup = 2): { wall: number[]; cpu: number[] } {
  const objective = objectiveNamed(functionName);
  const builder = createStudy({ space: objective.space, sampler: SAMPLER_FACTORIES.random.create(seed), seed });
  builder.optimize((_hp, trial) => objective.evaluate(trial.params), history - warmup);
  const study = createStudy({ space: objective.space, sampler: SAMPLER_FACTORIES[sampler].create(seed), seed, trials: builder.trials() });
  const times = { wall: [] as number[], cpu: [] as number[] };
  for (let i = 0; i < warmup + measured; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    const trial = study.ask();
    if (i >= warmup) {
      times.wall.push(performance.now() - t0);
      times.cpu.push(cpuMs() - c0);
    }
    study.tell(trial, objective.evaluate(trial.params));
  }
  return times;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
