// Helpers shared by our wasm kernels: calling other wasm kernels directly (outside the engine, so their results are
// raw TensorInfos we own and must free) and reading tensor memory on the wasm heap.
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

export const WASM = "wasm";

/** Calls a kernel the way the engine would, but without tracking: the caller owns (and frees) the result. */
export function callKernel(
  kernelFunc: tf.KernelFunc,
  backend: BackendWasm,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const out = kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error("expected a single-output kernel");
  return out;
}

/** The kernelFunc currently registered for `name` on wasm. */
export function wasmKernelFunc(name: string): tf.KernelFunc {
  const kernel = tf.getKernel(name, WASM);
  if (!kernel) throw new Error(`the wasm backend has no '${name}' kernel`);
  return kernel.kernelFunc;
}

/** Frees temporaries we created (refcounted: a reshape that shares data only drops its reference). */
export function freeTemporaries(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** A live float32 view on a tensor's heap memory. Re-take it after any allocation: the heap may have grown. */
export function heapFloats(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  if (info.dtype !== "float32") throw new Error(`expected float32, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Our conv kernels handle NHWC only (what tfjs-layers uses by default). */
export function assertChannelsLast(kernel: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== "NHWC" && dataFormat !== "channelsLast") {
    throw new Error(`${kernel} on wasm supports only NHWC (channelsLast), got ${String(dataFormat)}`);
  }
}
