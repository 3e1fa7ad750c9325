// Conv2DBackpropInput for wasm. The stock kernel is a scalar C++ loop and dominates a CNN's step time; this one
// runs the input gradient on the XNNPACK forward convolution:
//   dx = conv(zero-stuffed dy, filter flipped in space with in/out channels swapped), stride 1,
// padded so the output has the input's height and width. Rare shapes that would need negative padding (explicit
// pads larger than the kernel) go to the stock kernel.
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { assertChannelsLast, callKernel, freeTemporaries, heapFloats, WASM, wasmKernelFunc } from "./wasm-kernel-utils";

type Conv2DBackpropInputAttrs = {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat?: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape: [number, number, number, number];
};

type Args = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Conv2DBackpropInputAttrs };

/** Spreads dy out with (stride - 1) zeros between neighbours, as the stride-1 convolution needs. */
function zeroStuff(backend: BackendWasm, dy: tf.TensorInfo, strideHeight: number, strideWidth: number): tf.TensorInfo {
  const [batch, height, width, channels] = dy.shape;
  const stuffedHeight = (height - 1) * strideHeight + 1;
  const stuffedWidth = (width - 1) * strideWidth + 1;
  const out = backend.makeOutput([batch, stuffedHeight, stuffedWidth, channels], "float32");
  const outValues = heapFloats(backend, out);
  const dyValues = heapFloats(backend, dy);
  outValues.fill(0);
  const rowLength = width * channels;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < height; r++) {
      const source = (b * height + r) * rowLength;
      const targetRow = (b * stuffedHeight + r * strideHeight) * stuffedWidth;
      for (let c = 0; c < width; c++) {
        const from = source + c * channels;
        const to = (targetRow + c * strideWidth) * channels;
        for (let k = 0; k < channels; k++) outValues[to + k] = dyValues[from + k];
      }
    }
  }
  return out;
}

export function makeConv2dBackpropInput(stockKernelFunc: tf.KernelFunc | null) {
  return function conv2dBackpropInput(args: Args): tf.TensorInfo {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy as tf.TensorInfo;
    const filter = inputs.filter as tf.TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
    assertChannelsLast("Conv2DBackpropInput", dataFormat);

    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      "channelsLast",
    );
    const { filterHeight, filterWidth, strideHeight, strideWidth, inHeight, inWidth } = info;
    const stuffedHeight = (dy.shape[1] - 1) * strideHeight + 1;
    const stuffedWidth = (dy.shape[2] - 1) * strideWidth + 1;
    const padTop = filterHeight - 1 - info.padInfo.top;
    const padLeft = filterWidth - 1 - info.padInfo.left;
    const padBottom = inHeight - stuffedHeight + filterHeight - 1 - padTop;
    const padRight = inWidth - stuffedWidth + filterWidth - 1 - padLeft;
    if (Math.min(padTop, padLeft, padBottom, padRight) < 0) {
      if (!stockKernelFunc) throw new Error("Conv2DBackpropInput: unsupported padding and no stock kernel");
      return callKernel(stockKernelFunc, backend, inputs, attrs as unknown as tf.NamedAttrMap);
    }

    const reversed = callKernel(wasmKernelFunc("Reverse"), backend, { x: filter }, { dims: [0, 1] });
    const swapped = callKernel(wasmKernelFunc("Transpose"), backend, { x: reversed }, { perm: [0, 1, 3, 2] });
    freeTemporaries(backend, reversed);
    const strided = strideHeight > 1 || strideWidth > 1;
    const stuffed = strided ? zeroStuff(backend, dy, strideHeight, strideWidth) : dy;
    const dx = callKernel(wasmKernelFunc("Conv2D"), backend, { x: stuffed, filter: swapped }, {
      strides: [1, 1],
      dilations: [1, 1],
      pad: [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
      dataFormat: "NHWC",
    });
    freeTemporaries(backend, swapped);
    if (strided) freeTemporaries(backend, stuffed);
    return dx;
  };
}

export function conv2dBackpropInputConfig(stock: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: WASM,
    setupFunc: stock?.setupFunc,
    kernelFunc: makeConv2dBackpropInput(stock?.kernelFunc ?? null) as unknown as tf.KernelFunc,
  };
}
