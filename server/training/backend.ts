// Chooses and starts this process's TF.js backend once. `auto` tries, in order: `tensorflow` (tfjs-node-gpu or
// tfjs-node, when installed), `webgpu` (Dawn, on a real GPU), `wasm` (our default CPU engine, with native kernels
// when they build) and `cpu` (pure JS, last resort), logging why each earlier one was passed over. A pinned backend
// (SWEEPBOARD_BACKEND, `sweepboard worker --backend`) is used or fails loudly; it never silently falls back.
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { startTensorflow } from "./backends/tensorflow-backend";
import { startWasm } from "./backends/wasm-backend";
import { startWebgpu } from "./backends/webgpu-backend";
import { nativeKernelNames } from "./wasm-kernels/register-wasm-kernels";

export const BACKEND_NAMES = ["tensorflow", "webgpu", "wasm", "cpu"] as const;
export type TrainingBackendName = (typeof BACKEND_NAMES)[number];
export type BackendPreference = TrainingBackendName | "auto";

export interface BackendOptions {
  /** Default: SWEEPBOARD_BACKEND, else "auto". */
  preferred?: BackendPreference;
  /** Run the wasm engine's hot kernels natively when the library is available (default true). */
  native?: boolean;
  /** Accept a software WebGPU adapter (tests only: it is slower than wasm). */
  allowSoftwareGpu?: boolean;
  log?: (message: string) => void;
}

/** What a worker advertises about the engine its trials run on. */
export interface EngineInfo {
  backend: TrainingBackendName;
  /** The backend plus how it runs, e.g. "wasm+native". */
  label: string;
  device: string;
  /** Memory available to training: system memory on CPU engines, the largest buffer on WebGPU. */
  memoryBytes: number;
  cores: number;
}

export function parseBackendPreference(value: string | undefined, source = "SWEEPBOARD_BACKEND"): BackendPreference {
  if (value === undefined || value === "" || value === "auto") return "auto";
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as TrainingBackendName;
  throw new Error(`${source} must be auto, ${BACKEND_NAMES.join(", ")} (got "${value}")`);
}

let initialising: Promise<TrainingBackendName> | null = null;
let engine: EngineInfo | null = null;

const cpuEngine = (backend: TrainingBackendName, label: string): EngineInfo => ({
  backend,
  label,
  device: `${os.cpus()[0]?.model?.trim() ?? "CPU"} (${os.cpus().length} cores)`,
  memoryBytes: os.totalmem(),
  cores: os.cpus().length,
});

async function start(name: TrainingBackendName, options: BackendOptions, log: (m: string) => void): Promise<EngineInfo> {
  switch (name) {
    case "tensorflow": {
      const packageName = await startTensorflow();
      return { ...cpuEngine("tensorflow", packageName.endsWith("-gpu") ? "tensorflow (gpu)" : "tensorflow"), device: packageName };
    }
    case "webgpu": {
      const gpu = await startWebgpu({ allowSoftware: options.allowSoftwareGpu });
      return { backend: "webgpu", label: "webgpu", device: gpu.name, memoryBytes: gpu.maxBufferBytes, cores: os.cpus().length };
    }
    case "wasm":
      await startWasm({ native: options.native !== false }, log);
      return cpuEngine("wasm", nativeKernelNames().length > 0 ? "wasm+native" : "wasm");
    case "cpu":
      if (!(await tf.setBackend("cpu"))) throw new Error("the cpu backend did not start");
      await tf.ready();
      return cpuEngine("cpu", "cpu");
  }
}

async function initialise(options: BackendOptions): Promise<TrainingBackendName> {
  const log = options.log ?? ((message: string) => console.warn(message));
  const preferred = options.preferred ?? parseBackendPreference(process.env.SWEEPBOARD_BACKEND);
  if (preferred !== "auto") {
    try {
      engine = await start(preferred, options, log);
    } catch (error) {
      throw new Error(`backend '${preferred}' was asked for and is unavailable: ${(error as Error).message}`);
    }
    return preferred;
  }
  for (const name of BACKEND_NAMES) {
    try {
      engine = await start(name, options, log);
      return name;
    } catch (error) {
      // Only the fall from wasm to cpu is worth a warning: the first two are optional by design.
      const message = `[training] ${name} backend unavailable: ${(error as Error).message}`;
      if (name === "wasm") log(message);
    }
  }
  throw new Error("no TF.js backend could start");
}

/**
 * Initialises the training backend once per process and returns its name. Also makes it the active backend again
 * if something switched away (tests compare against 'cpu'); a different explicit preference re-initialises.
 */
export async function initTrainingBackend(options: BackendOptions = {}): Promise<TrainingBackendName> {
  const explicit = options.preferred && options.preferred !== "auto" ? options.preferred : null;
  if (!initialising || (explicit && explicit !== (await initialising.catch(() => null)))) {
    const attempt = initialise(options);
    initialising = attempt;
    attempt.catch(() => {
      if (initialising === attempt) initialising = null;
    });
  }
  const name = await initialising;
  if (tf.getBackend() !== name) await tf.setBackend(name);
  return name;
}

/** The engine this process trains on, once initTrainingBackend has resolved. */
export function trainingEngine(): EngineInfo | null {
  return engine;
}
