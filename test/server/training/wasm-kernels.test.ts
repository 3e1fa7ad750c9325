// Our kernels for the wasm backend against the cpu backend's, on fresh random inputs over many shapes: once with
// the WebAssembly layer alone, once with the native library on top (required in CI, where g++ is installed).
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initTrainingBackend } from "../../../server/training/backend";
import { loadNativeKernels } from "../../../server/training/native/native-kernels";
import { nativeKernelNames, registerWasmKernels } from "../../../server/training/wasm-kernels/register-wasm-kernels";
import { randomValues, runSeed } from "./kernel-check";

type Pad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];

/** Runs one kernel on a backend with plain arrays in and out, so nothing leaks across backends. */
async function runOn(backend: string, kernel: string, inputs: Record<string, { values: Float32Array; shape: number[] }>, attrs: object) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const tensors = Object.fromEntries(Object.entries(inputs).map(([name, v]) => [name, tf.tensor(v.values, v.shape)]));
  const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { values: await out.data(), shape: out.shape };
  tf.dispose([out, ...Object.values(tensors)]);
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

function expectClose(actual: { values: tf.TypedArray; shape: number[] }, expected: { values: tf.TypedArray; shape: number[] }, label: string) {
  expect(actual.shape, label).toEqual(expected.shape);
  let worst = 0;
  for (let i = 0; i < expected.values.length; i++) {
    const diff = Math.abs(actual.values[i] - expected.values[i]) / (1 + Math.abs(expected.values[i]));
    if (!(diff <= worst)) worst = diff; // also catches NaN
  }
  expect(worst, `${label} (seed ${runSeed})`).toBeLessThan(1e-4);
}

function convCase(batch: number, size: [number, number], inC: number, outC: number, kernel: [number, number], strides: [number, number], pad: Pad) {
  const [h, w] = size;
  const info = tf.backend_util.computeConv2DInfo([batch, h, w, inC], [kernel[0], kernel[1], inC, outC], strides, 1, pad);
  const [, oh, ow] = info.outShape;
  return {
    label: `N${batch} ${h}x${w}x${inC}->${outC} k${kernel} s${strides} pad ${JSON.stringify(pad)}`,
    x: { values: randomValues(batch * h * w * inC), shape: [batch, h, w, inC] },
    filter: { values: randomValues(kernel[0] * kernel[1] * inC * outC), shape: [kernel[0], kernel[1], inC, outC] },
    dy: { values: randomValues(batch * oh * ow * outC), shape: [batch, oh, ow, outC] },
    attrs: { strides, pad, dataFormat: "NHWC", dimRoundingMode: undefined },
  };
}

function dilatedCase(batch: number, size: [number, number], inC: number, outC: number, kernel: [number, number], dilations: [number, number], pad: Pad) {
  const base = convCase(batch, size, inC, outC, kernel, [1, 1], pad);
  const info = tf.backend_util.computeConv2DInfo(base.x.shape as [number, number, number, number], base.filter.shape as [number, number, number, number], 1, dilations, pad);
  return { ...base, label: `${base.label} dilations ${dilations}`, dilations, dy: { ...base.dy, shape: info.outShape } };
}

const DILATED_CASES = () => [
  dilatedCase(2, [9, 9], 3, 4, [3, 3], [2, 2], "same"),
  dilatedCase(2, [11, 10], 2, 5, [3, 2], [2, 3], "valid"),
];

const CONV_CASES = () => [
  convCase(1, [5, 5], 1, 1, [3, 3], [1, 1], "same"),
  convCase(4, [8, 8], 3, 5, [3, 3], [1, 1], "same"),
  convCase(3, [9, 7], 2, 4, [3, 3], [2, 2], "same"),
  convCase(2, [10, 10], 4, 3, [5, 5], [2, 2], "valid"),
  convCase(2, [11, 9], 3, 2, [3, 2], [3, 2], "valid"),
  convCase(5, [7, 8], 2, 6, [4, 4], [2, 3], "same"),
  convCase(2, [6, 6], 2, 3, [1, 1], [1, 1], "valid"),
  convCase(2, [9, 9], 3, 4, [3, 3], [2, 2], [[0, 0], [1, 2], [2, 0], [0, 0]]),
  convCase(3, [8, 8], 2, 2, [3, 3], [1, 1], 1),
  convCase(2, [12, 12], 8, 16, [5, 5], [1, 1], "same"),
  convCase(16, [28, 28], 1, 8, [3, 3], [1, 1], "same"),
  // Large patches: the filter packed once serves several row chunks, with several GEMM depth blocks (forward:
  // 7*7*24 = 1176 > 256) and column blocks (input gradient: 1176 > 512); and an input gradient 300 channels deep.
  convCase(2, [14, 14], 24, 40, [7, 7], [1, 1], "valid"),
  convCase(1, [6, 6], 8, 300, [3, 3], [1, 1], "same"),
  // FH*FW*Cin < Cout: the filter gradient takes the im2col path.
  convCase(8, [28, 28], 1, 32, [3, 3], [1, 1], "same"),
  convCase(3, [9, 9], 1, 16, [3, 3], [2, 2], "same"),
  convCase(2, [10, 8], 1, 12, [2, 2], [1, 1], "valid"),
  convCase(2, [9, 9], 1, 12, [3, 3], [2, 1], [[0, 0], [2, 1], [0, 2], [0, 0]]),
  // Pads wider than the kernel: the input gradient falls back to the stock kernel.
  convCase(2, [5, 5], 2, 3, [2, 2], [1, 1], [[0, 0], [3, 3], [3, 3], [0, 0]]),
];

const native = loadNativeKernels();
const LAYERS = [
  { layer: "wasm", kernels: null },
  { layer: "native", kernels: native.kernels },
] as const;

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

afterAll(() => {
  registerWasmKernels(native.kernels);
});

it("the native kernels load (required in CI)", () => {
  if (process.env.CI === "true") expect(native.reason).toBeUndefined();
});

describe.each(LAYERS)("$layer kernels match the cpu backend", ({ layer, kernels }) => {
  const unavailable = layer === "native" && !kernels;
  beforeAll(() => {
    registerWasmKernels(kernels);
  });

  it.skipIf(unavailable)("registers idempotently, natively only when asked", () => {
    expect(registerWasmKernels(kernels)).toEqual([]);
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBeDefined();
    expect(nativeKernelNames().length > 0).toBe(layer === "native");
  });

  it.skipIf(unavailable)("Conv2D, including dilations", async () => {
    const cases = [...CONV_CASES().map((c) => ({ ...c, dilations: 1 })), ...DILATED_CASES()];
    for (const c of cases) {
      const attrs = { ...c.attrs, dilations: c.dilations };
      const expected = await runOn("cpu", "Conv2D", { x: c.x, filter: c.filter }, attrs);
      const actual = await runOn("wasm", "Conv2D", { x: c.x, filter: c.filter }, attrs);
      expectClose(actual, expected, c.label);
    }
  });

  // Only the native layer has a Sum and Mean of its own (the stock ones accumulate 43k-term sums in float32).
  it.skipIf(unavailable || layer === "wasm").each(["Sum", "Mean"])("%s over leading axes (bias gradients, batch-norm moments) and other axes", async (kernel) => {
    const cases = [
      { shape: [64, 26, 26, 32], axis: [0, 1, 2], keepDims: false },
      { shape: [7, 5], axis: [0], keepDims: true },
      { shape: [3, 4, 5], axis: [1, 0], keepDims: false },
      { shape: [3, 4, 5], axis: [2], keepDims: false },
      { shape: [3, 4, 5], axis: [0, 2], keepDims: true },
    ];
    for (const c of cases) {
      const x = { values: randomValues(c.shape.reduce((a, b) => a * b, 1)), shape: c.shape };
      const attrs = { axis: c.axis, keepDims: c.keepDims };
      expectClose(await runOn("wasm", kernel, { x }, attrs), await runOn("cpu", kernel, { x }, attrs), `${kernel} ${JSON.stringify(c)}`);
    }
  });

  it.skipIf(unavailable)("Conv2DBackpropFilter", async () => {
    for (const c of CONV_CASES()) {
      const attrs = { ...c.attrs, filterShape: c.filter.shape };
      const expected = await runOn("cpu", "Conv2DBackpropFilter", { x: c.x, dy: c.dy }, attrs);
      const actual = await runOn("wasm", "Conv2DBackpropFilter", { x: c.x, dy: c.dy }, attrs);
      expectClose(actual, expected, c.label);
    }
  });

  it.skipIf(unavailable)("Conv2DBackpropInput", async () => {
    for (const c of CONV_CASES()) {
      const attrs = { ...c.attrs, inputShape: c.x.shape };
      const expected = await runOn("cpu", "Conv2DBackpropInput", { dy: c.dy, filter: c.filter }, attrs);
      const actual = await runOn("wasm", "Conv2DBackpropInput", { dy: c.dy, filter: c.filter }, attrs);
      expectClose(actual, expected, c.label);
    }
  });

  it.skipIf(unavailable)("MaxPoolGrad, including windows whose max is <= 0 and tied windows", async () => {
    const cases: Array<{ shape: number[]; filterSize: [number, number]; strides: [number, number]; pad: Pad; low: number; high: number; relu?: boolean }> = [
      { shape: [2, 8, 8, 3], filterSize: [2, 2], strides: [2, 2], pad: "valid", low: -1, high: 1 },
      // The templates' 2x2 pooling: odd sizes (a row and a column no window covers), and ReLU outputs whose
      // all-zero windows tie (the first maximum takes the gradient, as on cpu).
      { shape: [3, 7, 9, 4], filterSize: [2, 2], strides: [2, 2], pad: "valid", low: -1, high: 1 },
      { shape: [2, 10, 6, 33], filterSize: [2, 2], strides: [2, 2], pad: "valid", low: -1, high: 0.3, relu: true },
      { shape: [3, 7, 7, 4], filterSize: [2, 2], strides: [2, 2], pad: "same", low: -1, high: 1 },
      { shape: [2, 9, 9, 2], filterSize: [3, 3], strides: [2, 2], pad: "same", low: -1, high: 1 },
      { shape: [2, 9, 8, 2], filterSize: [3, 2], strides: [1, 2], pad: "valid", low: -1, high: 1 },
      { shape: [4, 6, 6, 5], filterSize: [2, 2], strides: [2, 2], pad: "valid", low: -3, high: -0.5 },
      { shape: [1, 5, 5, 1], filterSize: [3, 3], strides: [1, 1], pad: "same", low: -2, high: -1 },
    ];
    for (const c of cases) {
      const size = c.shape.reduce((a, b) => a * b, 1);
      const values = randomValues(size, c.low, c.high).map((v) => (c.relu ? Math.max(0, v) : v));
      const input = { values, shape: c.shape };
      const info = tf.backend_util.computePool2DInfo(c.shape as [number, number, number, number], c.filterSize, c.strides, 1, c.pad);
      const outSize = info.outShape.reduce((a, b) => a * b, 1);
      const dy = { values: randomValues(outSize), shape: info.outShape };
      const output = await runOn("cpu", "MaxPool", { x: input }, { filterSize: c.filterSize, strides: c.strides, pad: c.pad });
      const inputs = { dy, input, output: { values: output.values as Float32Array, shape: output.shape } };
      const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
      const expected = await runOn("cpu", "MaxPoolGrad", inputs, attrs);
      const actual = await runOn("wasm", "MaxPoolGrad", inputs, attrs);
      expectClose(actual, expected, `maxpool ${JSON.stringify(c)}`);
      if (c.high < 0) expect(Array.from(actual.values).some((v) => v !== 0)).toBe(true);
    }
  });

  it.skipIf(unavailable)("BatchMatMul with transposed operands and broadcast batches", async () => {
    const cases = [
      { a: [7, 5], b: [5, 3], transposeA: false, transposeB: false },
      { a: [5, 7], b: [5, 3], transposeA: true, transposeB: false },
      { a: [7, 5], b: [3, 5], transposeA: false, transposeB: true },
      { a: [5, 7], b: [3, 5], transposeA: true, transposeB: true },
      { a: [1, 64, 40], b: [1, 64, 12], transposeA: true, transposeB: false },
      { a: [3, 4, 5], b: [3, 6, 5], transposeA: false, transposeB: true },
      { a: [1, 4, 5], b: [3, 5, 6], transposeA: false, transposeB: false },
      { a: [2, 3, 9, 5], b: [1, 9, 4], transposeA: true, transposeB: false },
      { a: [64, 1600], b: [1600, 128], transposeA: false, transposeB: false },
      { a: [64, 1600], b: [64, 128], transposeA: true, transposeB: false },
      { a: [64, 128], b: [1600, 128], transposeA: false, transposeB: true },
    ];
    for (const c of cases) {
      const inputs = {
        a: { values: randomValues(c.a.reduce((x, y) => x * y, 1)), shape: c.a },
        b: { values: randomValues(c.b.reduce((x, y) => x * y, 1)), shape: c.b },
      };
      const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
      const expected = await runOn("cpu", "BatchMatMul", inputs, attrs);
      const actual = await runOn("wasm", "BatchMatMul", inputs, attrs);
      expectClose(actual, expected, `matmul ${JSON.stringify(c)}`);
    }
  });

  it.skipIf(unavailable)("ReLU's gradient, including inputs exactly 0", async () => {
    const values = randomValues(4 * 9 * 7 * 5);
    for (let i = 0; i < values.length; i += 7) values[i] = 0;
    const dyValues = randomValues(values.length);
    const gradient = async (backend: string) => {
      await tf.setBackend(backend);
      const [dx] = tf.tidy(() => tf.grads((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), tf.tensor(dyValues, [4, 9, 7, 5]))))([tf.tensor(values, [4, 9, 7, 5])]));
      const result = { values: await dx.data(), shape: dx.shape };
      dx.dispose();
      return result;
    };
    expectClose(await gradient("wasm"), await gradient("cpu"), "relu grad");
  });

  it.skipIf(unavailable)("Identity shares data: a clone survives its source and frees memory with the last holder", async () => {
    await tf.setBackend("wasm");
    const bytesBefore = tf.memory().numBytes;
    const source = tf.tensor([1, 2, 3, 4]);
    const copy = tf.clone(source);
    source.dispose();
    expect(Array.from(await copy.data())).toEqual([1, 2, 3, 4]);
    copy.dispose();
    expect(tf.memory().numBytes).toBe(bytesBefore);
  });

  it.skipIf(unavailable)("a conv/pool/dense gradient through tf.grads agrees end to end (tanh, so pooled values go negative)", async () => {
    const xValues = randomValues(4 * 10 * 10 * 2);
    const w1 = randomValues(3 * 3 * 2 * 4);
    const w2 = randomValues(5 * 5 * 4 * 3);
    const gradients = async (backend: string) => {
      await tf.setBackend(backend);
      const result = tf.tidy(() => {
        const x = tf.tensor4d(xValues, [4, 10, 10, 2]);
        const k1 = tf.tensor4d(w1, [3, 3, 2, 4]);
        const k2 = tf.tensor4d(w2, [5, 5, 4, 3]);
        const loss = (a: tf.Tensor, b: tf.Tensor) => {
          const h = tf.maxPool(tf.tanh(tf.conv2d(a as tf.Tensor4D, k1, 1, "same")), 2, 2, "valid");
          const y = tf.conv2d(h, b as tf.Tensor4D, [2, 2], "same");
          return tf.sum(tf.matMul(tf.reshape(y, [4, -1]), tf.ones([y.shape[1]! * y.shape[2]! * 3, 2])));
        };
        return tf.grads(loss)([x, k2]);
      });
      const data = await Promise.all(result.map(async (t) => ({ values: await t.data(), shape: t.shape })));
      tf.dispose(result);
      return data;
    };
    const expected = await gradients("cpu");
    const actual = await gradients("wasm");
    expectClose(actual[0], expected[0], "dx");
    expectClose(actual[1], expected[1], "dW2");
  });
});
