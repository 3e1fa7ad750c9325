// Conv2DBackpropFilter for wasm (stock 4.22 has none, so a CNN cannot train). The filter gradient
//   dW[fh, fw, ci, co] = sum_{n, oh, ow} x[n, oh*sh + fh - padTop, ow*sw + fw - padLeft, ci] * dy[n, oh, ow, co]
// is itself a forward convolution: take x as [Cin, H, W, N] (Cin is the "batch", N the "channels") and dy as a
// filter [OH, OW, N, Cout] dilated by the forward strides. Its output [Cin, FH', FW', Cout] is dW transposed;
// rows past FH (when the forward conv ignored trailing input rows) are cropped.
// XNNPACK repacks the "filter" operand on every call, and that costs more than the arithmetic when dy is large
// and FH*FW*Cin is small (a first layer on grayscale images). Then we use im2col instead:
//   dW^T [Cout, FH*FW*Cin] = dy^T [Cout, N*OH*OW] . patches(x) [N*OH*OW, FH*FW*Cin]
// where the packed operand is the (small-width) patch matrix.
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { assertChannelsLast, callKernel, freeTemporaries, heapFloats, WASM, wasmKernelFunc } from "./wasm-kernel-utils";

type Conv2DBackpropFilterAttrs = {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat?: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
};

/** Patch matrix [N*OH*OW, FH*FW*Cin] of x for the forward conv described by `info` (zeros in the padding). */
function im2col(backend: BackendWasm, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const patchLength = filterHeight * filterWidth * inChannels;
  const patches = backend.makeOutput([batchSize * outHeight * outWidth, patchLength], "float32");
  const out = heapFloats(backend, patches);
  const xValues = heapFloats(backend, x);
  out.fill(0);
  const rowLength = inWidth * inChannels;
  let offset = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, offset += patchLength) {
        for (let fh = 0; fh < filterHeight; fh++) {
          const row = oh * strideHeight + fh - top;
          if (row < 0 || row >= inHeight) continue;
          const colStart = ow * strideWidth - left;
          // Copy the in-bounds run of this filter row (columns are contiguous with their channels in NHWC).
          const firstCol = Math.max(0, colStart);
          const lastCol = Math.min(inWidth, colStart + filterWidth);
          if (firstCol >= lastCol) continue;
          const source = (n * inHeight + row) * rowLength + firstCol * inChannels;
          const target = offset + (fh * filterWidth + (firstCol - colStart)) * inChannels;
          // A plain loop: runs are a few floats long, and subarray() per run costs more than the copy.
          const runLength = (lastCol - firstCol) * inChannels;
          for (let i = 0; i < runLength; i++) out[target + i] = xValues[source + i];
        }
      }
    }
  }
  return patches;
}

function filterGradByIm2col(backend: BackendWasm, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const transpose = wasmKernelFunc("Transpose");
  const reshape = wasmKernelFunc("Reshape");
  const patches = im2col(backend, x, info);
  const dy2d = callKernel(reshape, backend, { x: dy }, { shape: [rows, info.outChannels] });
  const dyT = callKernel(transpose, backend, { x: dy2d }, { perm: [1, 0] });
  freeTemporaries(backend, dy2d);
  const product = callKernel(wasmKernelFunc("BatchMatMul"), backend, { a: dyT, b: patches }, { transposeA: false, transposeB: false });
  freeTemporaries(backend, dyT, patches);
  const productT = callKernel(transpose, backend, { x: product }, { perm: [1, 0] });
  freeTemporaries(backend, product);
  const dW = callKernel(reshape, backend, { x: productT }, { shape: [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels] });
  freeTemporaries(backend, productT);
  return dW;
}

export function conv2dBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  assertChannelsLast("Conv2DBackpropFilter", dataFormat);

  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  if (info.filterHeight * info.filterWidth * info.inChannels < info.outChannels) {
    return filterGradByIm2col(backend, x, dy, info);
  }
  const { filterHeight, filterWidth, strideHeight, strideWidth, inHeight, inWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // Padding after the input so the dilated dy filter covers exactly the rows/cols the forward conv read; when the
  // forward conv skipped trailing input rows this goes negative, and we crop the result instead.
  const bottom = filterHeight + (outHeight - 1) * strideHeight - inHeight - top;
  const right = filterWidth + (outWidth - 1) * strideWidth - inWidth - left;

  const transpose = wasmKernelFunc("Transpose");
  const conv2d = wasmKernelFunc("Conv2D");
  const xT = callKernel(transpose, backend, { x }, { perm: [3, 1, 2, 0] });
  const dyT = callKernel(transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const grad = callKernel(conv2d, backend, { x: xT, filter: dyT }, {
    strides: [1, 1],
    dilations: [strideHeight, strideWidth],
    pad: [
      [0, 0],
      [top, Math.max(0, bottom)],
      [left, Math.max(0, right)],
      [0, 0],
    ],
    dataFormat: "NHWC",
  });
  freeTemporaries(backend, xT, dyT);

  let cropped = grad;
  if (grad.shape[1] !== filterHeight || grad.shape[2] !== filterWidth) {
    cropped = callKernel(wasmKernelFunc("Slice"), backend, { x: grad }, {
      begin: [0, 0, 0, 0],
      size: [grad.shape[0], filterHeight, filterWidth, grad.shape[3]],
    });
    freeTemporaries(backend, grad);
  }
  const dW = callKernel(transpose, backend, { x: cropped }, { perm: [1, 2, 0, 3] });
  freeTemporaries(backend, cropped);
  return dW;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
