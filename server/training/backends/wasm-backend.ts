// The CPU engine: TF.js WebAssembly, one thread, binaries loaded from node_modules (no network), with our kernels
// registered and, when the library builds, native kernels on top (SWEEPBOARD_NATIVE=0 turns them off).
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { loadNativeKernels } from "../native/native-kernels";
import { registerWasmKernels } from "../wasm-kernels/register-wasm-kernels";

let wasmPathsSet = false;

function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  return path.join(path.dirname(packageJson), "dist") + path.sep;
}

export async function startWasm(options: { native: boolean }, log: (message: string) => void): Promise<void> {
  if (!wasmPathsSet) {
    // One thread: one trial per core is the robust default in Node (threaded wasm needs shims there).
    setThreadsCount(1);
    setWasmPaths(wasmBinaryFolder());
    wasmPathsSet = true;
  }
  let native = null;
  if (options.native) {
    const load = loadNativeKernels(log);
    if (!load.kernels) log(`[training] native kernels unavailable, using WebAssembly kernels: ${load.reason}`);
    native = load.kernels;
  }
  registerWasmKernels(native);
  const ok = await tf.setBackend("wasm");
  if (!ok) throw new Error("tf.setBackend('wasm') returned false");
  await tf.ready();
}
