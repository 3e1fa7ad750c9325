// BatchMatMul for wasm. The stock kernel uses XNNPACK only when neither operand is transposed and the batch is 1;
// otherwise it runs a scalar blocked loop. Backprop through a Dense layer always transposes one operand
// (dW = x^T dy, dx = dy W^T), so we materialise the transpose (cheap, O(size)) and take the fast path.
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { callKernel, freeTemporaries, WASM, wasmKernelFunc } from "./wasm-kernel-utils";

type BatchMatMulAttrs = { transposeA: boolean; transposeB: boolean };
type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: BatchMatMulAttrs };

const batchOf = (shape: number[]) => shape.slice(0, -2).reduce((size, dim) => size * dim, 1);

/** Swaps the last two axes of a tensor whose leading (batch) axes multiply to 1. */
function transposeMatrix(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const [rows, cols] = x.shape.slice(-2);
  const matrix = callKernel(wasmKernelFunc("Reshape"), backend, { x }, { shape: [rows, cols] });
  const transposed = callKernel(wasmKernelFunc("Transpose"), backend, { x: matrix }, { perm: [1, 0] });
  freeTemporaries(backend, matrix);
  return transposed;
}

export function batchMatMulConfig(stock: tf.KernelConfig | undefined): tf.KernelConfig {
  if (!stock) throw new Error("the wasm backend has no stock BatchMatMul kernel to wrap");
  const stockBatchMatMul = stock.kernelFunc;
  function batchMatMul(args: Args): tf.TensorInfo {
    const { inputs, backend, attrs } = args;
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    const { transposeA, transposeB } = attrs;
    const fastPathPossible = a.dtype === "float32" && b.dtype === "float32" && batchOf(a.shape) === 1 && batchOf(b.shape) === 1;
    if (!fastPathPossible || (!transposeA && !transposeB)) {
      return callKernel(stockBatchMatMul, backend, inputs, attrs as unknown as tf.NamedAttrMap);
    }
    const aPlain = transposeA ? transposeMatrix(backend, a) : a;
    const bPlain = transposeB ? transposeMatrix(backend, b) : b;
    const out = callKernel(stockBatchMatMul, backend, { a: aPlain, b: bPlain }, { transposeA: false, transposeB: false });
    if (transposeA) freeTemporaries(backend, aPlain);
    if (transposeB) freeTemporaries(backend, bPlain);
    const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), ...out.shape.slice(-2)];
    return { ...out, shape: outShape };
  }
  return {
    kernelName: tf.BatchMatMul,
    backendName: WASM,
    setupFunc: stock.setupFunc,
    kernelFunc: batchMatMul as unknown as tf.KernelFunc,
  };
}
