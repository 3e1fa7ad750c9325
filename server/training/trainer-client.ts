// Parent side of a trainer process: one child per worker, reused across trials (it caches datasets), respawned
// after a crash. A crash or kill rejects the running `train` with a clear error (a TrainerKilledError when a signal
// ended the child: the OOM killer, kill -9); the next `train` starts a fresh child.
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { EngineInfo } from "./backend";
import type { ChildToParent, ParentToChild } from "./trainer-messages";
import type { EpochMetrics, TrainJob, TrainResult } from "./types";

export type EpochCallback = (epoch: number, metrics: EpochMetrics) => Promise<void> | void;

export interface TrainerOptions {
  /** Extra environment for the child (e.g. SWEEPBOARD_DATA_DIR); inherits process.env. */
  env?: Record<string, string>;
  log?: (message: string) => void;
}

export interface Trainer {
  /** Trains one trial in the child; one at a time per trainer. */
  train(job: TrainJob, onEpoch: EpochCallback): Promise<TrainResult>;
  /** Asks the child to stop the current trial at its next check; `train` then resolves with what was trained. */
  stop(): void;
  /** Kills the child; a running `train` rejects. */
  dispose(): Promise<void>;
  /** The current child's pid, if one is running. */
  readonly pid: number | undefined;
  /** The TF.js backend the child trains on (e.g. "wasm+native", or "unavailable: why"); starts the child if needed. */
  backend(): Promise<string>;
  /** The child's engine (device, memory, cores) once it is up; null if its backend could not start. */
  engine(): Promise<EngineInfo | null>;
}

/** The trainer's process was ended by a signal mid-trial: a fault of the machine, not of the trial's training. */
export class TrainerKilledError extends Error {
  readonly name = "TrainerKilledError";
  constructor(
    readonly signal: NodeJS.Signals,
    trialId: string,
  ) {
    super(`trainer process was killed by ${signal} during trial ${trialId}`);
  }
}

export function isTrainerKilled(error: unknown): error is TrainerKilledError {
  return error instanceof TrainerKilledError;
}

const CHILD_ENTRY = fileURLToPath(new URL("./trainer-process.ts", import.meta.url));

/** tsx's ESM loader by absolute URL, so the child works whatever the working directory. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
}

interface RunningTrial {
  trialId: string;
  onEpoch: EpochCallback;
  resolve: (result: TrainResult) => void;
  reject: (error: Error) => void;
  /** Set when the parent's epoch callback failed: the trial is stopped and rejects with this. */
  callbackError?: Error;
}

export function createTrainer(options: TrainerOptions = {}): Trainer {
  const log = options.log ?? ((message: string) => console.warn(message));
  let child: ChildProcess | null = null;
  let running: RunningTrial | null = null;
  let disposed = false;
  let backendName: string | null = null;
  let engineInfo: EngineInfo | null = null;
  const backendWaiters: ((backend: string) => void)[] = [];

  const send = (message: ParentToChild) => {
    if (child?.connected) child.send(message);
  };

  function finish(outcome: { result: TrainResult } | { error: Error }) {
    const trial = running;
    running = null;
    if (!trial) return;
    if ("error" in outcome) trial.reject(outcome.error);
    else if (trial.callbackError) trial.reject(trial.callbackError);
    else trial.resolve(outcome.result);
  }

  async function handleEpoch(trial: RunningTrial, epoch: number, metrics: EpochMetrics) {
    try {
      await trial.onEpoch(epoch, metrics);
    } catch (error) {
      trial.callbackError = error instanceof Error ? error : new Error(String(error));
      send({ type: "stop" });
    }
    send({ type: "epoch-ack", trialId: trial.trialId, epoch });
  }

  function onMessage(message: ChildToParent) {
    if (message.type === "ready") {
      backendName = message.backend;
      engineInfo = message.engine ?? null;
      for (const resolve of backendWaiters.splice(0)) resolve(message.backend);
      return;
    }
    const trial = running;
    if (!trial || message.trialId !== trial.trialId) return;
    if (message.type === "epoch") void handleEpoch(trial, message.epoch, message.metrics);
    else if (message.type === "result") finish({ result: message.result });
    else if (message.type === "error") {
      const error = new Error(message.message);
      if (message.stack) error.stack = message.stack;
      finish({ error });
    }
  }

  function spawn(): ChildProcess {
    const started = fork(CHILD_ENTRY, [], {
      execArgv: ["--import", tsxLoaderUrl()],
      serialization: "advanced",
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    started.on("message", (message) => onMessage(message as ChildToParent));
    started.on("error", (error) => {
      log(`[trainer] child process error: ${error.message}`);
      if (child === started) child = null;
      finish({ error: new Error(`trainer process failed: ${error.message}`) });
    });
    started.on("exit", (code, signal) => {
      if (child === started) child = null;
      if (running) {
        const error = signal ? new TrainerKilledError(signal, running.trialId) : new Error(`trainer process exited with code ${code} during trial ${running.trialId}`);
        finish({ error });
      }
    });
    return started;
  }

  return {
    train(job, onEpoch) {
      if (disposed) return Promise.reject(new Error("trainer is disposed"));
      if (running) return Promise.reject(new Error(`trainer is busy with trial ${running.trialId}`));
      if (!child || child.exitCode !== null || child.signalCode !== null) child = spawn();
      return new Promise<TrainResult>((resolve, reject) => {
        running = { trialId: job.trialId, onEpoch, resolve, reject };
        send({ type: "train", job });
      });
    },
    stop() {
      if (running) send({ type: "stop" });
    },
    async dispose() {
      disposed = true;
      const current = child;
      child = null;
      if (running) finish({ error: new Error("trainer disposed during trial") });
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        current.once("exit", () => resolve());
        current.kill("SIGTERM");
      });
    },
    get pid() {
      return child?.pid;
    },
    async engine() {
      await this.backend();
      return engineInfo;
    },
    backend() {
      if (backendName) return Promise.resolve(backendName);
      if (!child || child.exitCode !== null || child.signalCode !== null) child = spawn();
      return new Promise<string>((resolve) => backendWaiters.push(resolve));
    },
  };
}
