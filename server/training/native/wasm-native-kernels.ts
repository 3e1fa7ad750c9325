// TF.js kernels for the wasm backend that run on the native library (see native-kernels.ts) directly on the wasm
// heap. Each handles the float32 / NHWC cases training needs and hands anything else to the kernel it replaces.
import * as tf from "@tensorflow/tfjs";
import { ACTIVATION_BODIES } from "./activation-kernels";
import type { NativeKernels } from "./native-kernels";
import { heapOf, offsetOf, WASM, type KernelArgs as Args, type KernelBody } from "./wasm-heap";

export { heapOf, offsetOf };

const allFloat = (...infos: tf.TensorInfo[]) => infos.every((info) => info.dtype === "float32");
const isChannelsLast = (format: unknown) => format === undefined || format === "NHWC" || format === "channelsLast";
const product = (dims: number[]) => dims.reduce((size, dim) => size * dim, 1);

function convShapeArgs(info: tf.backend_util.Conv2DInfo): number[] {
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left,
  ];
}

type ConvAttrs = {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat?: "NHWC" | "NCHW";
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
};

const conv2d: KernelBody = ({ inputs, backend, attrs }, native) => {
  const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as ConvAttrs;
  if (!allFloat(x, filter) || !isChannelsLast(dataFormat)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    strides, dilations ?? 1, pad, dimRoundingMode,
  );
  const y = backend.makeOutput(info.outShape, "float32");
  native.conv2d(heapOf(backend), offsetOf(backend, x), offsetOf(backend, filter), offsetOf(backend, y), ...convShapeArgs(info));
  return y;
};

/**
 * The convolution tfjs-layers runs for a conv without activation (the one before batch norm): TF.js fuses it in
 * training only when the activation is linear, and the stock wasm FusedConv2D is ~10x slower than our Conv2D.
 * Bias (one per channel) and ReLU are one extra pass; other activations and PReLU weights go to the stock kernel.
 */
const fusedConv2d: KernelBody = (args, native) => {
  const { bias, preluActivationWeights } = args.inputs as { bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };
  const activation = (args.attrs.activation as string | undefined) ?? "linear";
  if (preluActivationWeights || (activation !== "linear" && activation !== "relu")) return null;
  const channels = (args.inputs.filter as tf.TensorInfo).shape[3];
  if (bias && (bias.dtype !== "float32" || product(bias.shape) !== channels || bias.shape.length > 1)) return null;
  const y = conv2d(args, native);
  if (y && (bias || activation === "relu")) {
    const { backend } = args;
    native.biasActivation(
      heapOf(backend), offsetOf(backend, y), bias ? offsetOf(backend, bias) : 0, product(y.shape) / channels, channels,
      bias ? 1 : 0, activation === "relu" ? 1 : 0,
    );
  }
  return y;
};

const conv2dBackpropFilter: KernelBody = ({ inputs, backend, attrs }, native) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode } = attrs as ConvAttrs;
  const filterShape = attrs.filterShape as [number, number, number, number];
  if (!allFloat(x, dy) || !isChannelsLast(dataFormat)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode,
  );
  const dw = backend.makeOutput(filterShape, "float32");
  native.conv2dBackpropFilter(heapOf(backend), offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dw), ...convShapeArgs(info));
  return dw;
};

const conv2dBackpropInput: KernelBody = ({ inputs, backend, attrs }, native) => {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode } = attrs as ConvAttrs;
  const inputShape = attrs.inputShape as [number, number, number, number];
  if (!allFloat(dy, filter) || !isChannelsLast(dataFormat)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode,
  );
  const dx = backend.makeOutput(inputShape, "float32");
  native.conv2dBackpropInput(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, filter), offsetOf(backend, dx), ...convShapeArgs(info));
  return dx;
};

const batchMatMul: KernelBody = ({ inputs, backend, attrs }, native) => {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  if (!allFloat(a, b) || a.shape.length < 2 || b.shape.length < 2) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = product(outerA);
  const batchB = product(outerB);
  // Broadcasting beyond "same batch, or one side has batch 1" goes to the stock kernel.
  const outer = batchA === 1 ? outerB : outerA;
  if (batchA !== 1 && batchB !== 1 && outerA.join(",") !== outerB.join(",")) return null;
  const [rowsA, colsA] = a.shape.slice(-2);
  const [rowsB, colsB] = b.shape.slice(-2);
  const m = transposeA ? colsA : rowsA;
  const k = transposeA ? rowsA : colsA;
  const n = transposeB ? rowsB : colsB;
  if ((transposeB ? colsB : rowsB) !== k) {
    throw new Error(`BatchMatMul: inner dimensions ${k} and ${transposeB ? colsB : rowsB} differ`);
  }
  const c = backend.makeOutput([...outer, m, n], "float32");
  const batch = Math.max(batchA, batchB);
  native.batchMatMul(
    heapOf(backend), offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, c),
    batch, batchA, batchB, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0,
  );
  return c;
};

function poolShapeArgs({ inputs, attrs }: Args): number[] {
  const input = inputs.input as tf.TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as ConvAttrs & { filterSize: number | [number, number] };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
  );
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left,
  ];
}

/**
 * The dense layer's matmul when tfjs-layers fuses it as linear (a dense layer before a separate or non-fusable
 * activation: leaky ReLU, tanh, sigmoid...): the stock wasm _FusedMatMul is several times slower than our GEMM.
 * Bias (one per column) and ReLU are one extra pass; other activations go to the stock kernel.
 */
const fusedMatMul: KernelBody = (args, native) => {
  const { b, bias, preluActivationWeights } = args.inputs as { b: tf.TensorInfo; bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };
  const activation = (args.attrs.activation as string | undefined) ?? "linear";
  if (preluActivationWeights || (activation !== "linear" && activation !== "relu")) return null;
  const columns = args.attrs.transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  if (bias && (bias.dtype !== "float32" || product(bias.shape) !== columns || bias.shape.length > 1)) return null;
  const c = batchMatMul(args, native);
  if (c && (bias || activation === "relu")) {
    const { backend } = args;
    native.biasActivation(
      heapOf(backend), offsetOf(backend, c), bias ? offsetOf(backend, bias) : 0, product(c.shape) / columns, columns,
      bias ? 1 : 0, activation === "relu" ? 1 : 0,
    );
  }
  return c;
};

const maxPoolGrad: KernelBody = (args, native) => {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  if (!allFloat(dy, input)) return null;
  const { backend } = args;
  const dx = backend.makeOutput(input.shape, "float32");
  native.maxPoolGrad(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, input), offsetOf(backend, dx), ...poolShapeArgs(args));
  return dx;
};

/** The stock wasm AvgPoolGrad is a scalar loop (~8 ns per input element). */
const avgPoolGrad: KernelBody = (args, native) => {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  if (!allFloat(dy) || input.shape.length !== 4) return null;
  const { backend } = args;
  const dx = backend.makeOutput(input.shape, "float32");
  native.avgPoolGrad(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, dx), ...poolShapeArgs(args));
  return dx;
};

/**
 * A Sum or Mean over every axis but the last (bias gradients, batch-norm moments), accumulated in double: the
 * stock kernels accumulate tens of thousands of terms in float32. Other reductions go to the stock kernel.
 */
function reduceLeadingAxes(mean: boolean): KernelBody {
  return ({ inputs, backend, attrs }, native) => {
    const x = inputs.x as tf.TensorInfo;
    const rank = x.shape.length;
    if (x.dtype !== "float32" || rank < 2) return null;
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((p, q) => p - q);
    if (axes.length !== rank - 1 || axes.some((axis, i) => axis !== i)) return null;
    const cols = x.shape[rank - 1];
    const rows = product(x.shape) / cols;
    const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), cols] : [cols], "float32");
    native.sumRows(heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), rows, cols, mean ? 1 / rows : 1);
    return out;
  };
}

const BODIES: Record<string, KernelBody> = {
  [tf.Conv2D]: conv2d,
  [tf.FusedConv2D]: fusedConv2d,
  [tf.Conv2DBackpropFilter]: conv2dBackpropFilter,
  [tf.Conv2DBackpropInput]: conv2dBackpropInput,
  [tf.BatchMatMul]: batchMatMul,
  [tf._FusedMatMul]: fusedMatMul,
  [tf.MaxPoolGrad]: maxPoolGrad,
  [tf.AvgPoolGrad]: avgPoolGrad,
  [tf.Sum]: reduceLeadingAxes(false),
  [tf.Mean]: reduceLeadingAxes(true),
  ...ACTIVATION_BODIES,
};

export const NATIVE_KERNEL_NAMES = Object.keys(BODIES);

/** A wasm kernel config running `name` natively, falling back to `previous` for cases the native body declines. */
export function nativeKernelConfig(name: string, native: NativeKernels, previous: tf.KernelConfig | undefined): tf.KernelConfig {
  const body = BODIES[name];
  if (!body) throw new Error(`no native kernel for ${name}`);
  const kernelFunc = (args: Args) => {
    const out = body(args, native);
    if (out) return out;
    if (!previous) throw new Error(`${name} on wasm: this case is not supported natively and there is no other kernel`);
    return previous.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
  };
  return { kernelName: name, backendName: WASM, setupFunc: previous?.setupFunc, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
