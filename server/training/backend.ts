// Puts TF.js in this process on the WebAssembly backend (one thread, binaries loaded from node_modules, no network)
// with our kernels registered, and native kernels on top when the library builds (SWEEPBOARD_NATIVE=0 turns them
// off). Falls back to the pure-JS 'cpu' backend, with a logged reason, if wasm cannot start.
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { loadNativeKernels } from "./native/native-kernels";
import { nativeKernelNames, registerWasmKernels } from "./wasm-kernels/register-wasm-kernels";

export type TrainingBackendName = "wasm" | "cpu";

export interface BackendOptions {
  /** Skip wasm (e.g. to compare against the reference cpu kernels). */
  preferred?: TrainingBackendName;
  /** Run the hot kernels natively when the library is available (default true). */
  native?: boolean;
  log?: (message: string) => void;
}

let wasmPathsSet = false;
let initialising: Promise<TrainingBackendName> | null = null;

function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  return path.join(path.dirname(packageJson), "dist") + path.sep;
}

async function tryWasm(options: BackendOptions, log: (message: string) => void): Promise<void> {
  if (!wasmPathsSet) {
    // One thread: one trial per core is the robust default in Node (threaded wasm needs shims there).
    setThreadsCount(1);
    setWasmPaths(wasmBinaryFolder());
    wasmPathsSet = true;
  }
  let native = null;
  if (options.native !== false) {
    const load = loadNativeKernels(log);
    if (!load.kernels) log(`[training] native kernels unavailable, using WebAssembly kernels: ${load.reason}`);
    native = load.kernels;
  }
  registerWasmKernels(native);
  const ok = await tf.setBackend("wasm");
  if (!ok) throw new Error("tf.setBackend('wasm') returned false");
  await tf.ready();
}

async function initialise(options: BackendOptions): Promise<TrainingBackendName> {
  const log = options.log ?? ((message: string) => console.warn(message));
  if (options.preferred !== "cpu") {
    try {
      await tryWasm(options, log);
      return "wasm";
    } catch (error) {
      log(`[training] wasm backend unavailable, falling back to cpu: ${(error as Error).message ?? String(error)}`);
    }
  }
  await tf.setBackend("cpu");
  await tf.ready();
  return "cpu";
}

/**
 * Initialises the training backend once per process and returns its name. Also makes it the active backend again
 * if something switched away (tests compare against 'cpu').
 */
export async function initTrainingBackend(options: BackendOptions = {}): Promise<TrainingBackendName> {
  if (!initialising || (options.preferred && options.preferred !== (await initialising))) {
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

/** What a worker advertises: the backend, plus "+native" when the hot kernels run on the native library. */
export function describeTrainingEngine(backend: TrainingBackendName): string {
  return backend === "wasm" && nativeKernelNames().length > 0 ? "wasm+native" : backend;
}
