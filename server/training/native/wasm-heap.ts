// Where a wasm tensor lives: the wasm backend's heap and a tensor's byte offset in it, which the native kernels
// take in place of copies; and the shape of a native kernel body (null hands the case to the kernel it replaced).
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeKernels } from "./native-kernels";

export const WASM = "wasm";

export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Record<string, unknown> };
export type KernelBody = (args: KernelArgs, native: NativeKernels) => tf.TensorInfo | null;

export function heapOf(backend: BackendWasm): ArrayBuffer {
  // The Emscripten module exposes its heap views; the typings do not declare them. Re-read per call: the heap's
  // buffer is replaced when wasm memory grows.
  return (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer as ArrayBuffer;
}

export function offsetOf(backend: BackendWasm, info: tf.TensorInfo): number {
  return (backend.dataIdMap.get(info.dataId) as { memoryOffset: number }).memoryOffset;
}
