// Native activations (Tanh and LeakyRelu forward; tanh, sigmoid and leaky ReLU gradients) and AvgPoolGrad on wasm
// against the cpu backend: forward and gradients within 1e-5 on odd shapes, saturated and tiny inputs, and overlapping
// or padded pooling windows; and that training runs the native kernels rather than TF.js's compositions.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initTrainingBackend } from "../../../server/training/backend";
import { ACTIVATION_GRAD_KERNEL } from "../../../server/training/native/activation-kernels";
import { loadNativeKernels } from "../../../server/training/native/native-kernels";
import { nativeKernelNames } from "../../../server/training/wasm-kernels/register-wasm-kernels";
import { expectClose, randomValues, read, sizeOf, type Values } from "./kernel-check";

const native = loadNativeKernels();
const unavailable = !native.kernels;

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

/** f(x) and d/dx sum(f(x) * w) on a backend, read back as plain arrays; the kernels the gradient ran. */
async function valueAndGradient(backend: string, f: (x: tf.Tensor) => tf.Tensor, x: Values, w: Float32Array) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const input = tf.tensor(x.values as Float32Array, x.shape);
  const out = tf.tidy(() => {
    const y = f(input);
    const weights = tf.tensor(w.subarray(0, y.size), y.shape);
    return [y, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), weights)))(input)];
  });
  const values = read(out);
  tf.dispose(out);
  const profile = await tf.profile(() => tf.grad((a: tf.Tensor) => tf.sum(f(a)))(input));
  tf.dispose(profile.result as tf.Tensor);
  input.dispose();
  expect(tf.memory().numTensors, `${backend} leaked tensors`).toBe(before);
  return { values, kernels: profile.kernelNames };
}

it("the activation and pooling kernels are native with the library (required in CI)", () => {
  if (process.env.CI === "true") expect(native.reason).toBeUndefined();
  for (const name of ["Tanh", "Sigmoid", "LeakyRelu", "AvgPoolGrad", "_FusedMatMul"]) expect(nativeKernelNames().includes(name), name).toBe(!unavailable);
});

describe.skipIf(unavailable)("native activations match cpu", () => {
  const ACTIVATIONS: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
    ["tanh", (x) => tf.tanh(x)],
    ["sigmoid", (x) => tf.sigmoid(x)],
    ["leakyRelu 0.3", (x) => tf.leakyRelu(x, 0.3)],
    ["leakyRelu 0.01", (x) => tf.leakyRelu(x, 0.01)],
  ];
  const INPUTS = [
    { shape: [1], low: -1, high: 1 },
    { shape: [3, 5, 7], low: -3, high: 3 },
    { shape: [2, 13, 13, 32], low: -20, high: 20 }, // saturated tanh / sigmoid
    { shape: [4, 9], low: -1e-4, high: 1e-4 }, // tanh's cancellation near 0
    { shape: [5, 17], low: -90, high: 90 }, // beyond the exponential's clamp
  ];
  const cases = ACTIVATIONS.flatMap(([name, f]) => INPUTS.map((input) => ({ name, f, ...input })));

  it.each(cases)("$name on $shape in [$low, $high]", async ({ name, f, shape, low, high }) => {
    const x = { values: randomValues(sizeOf(shape), low, high), shape };
    const w = randomValues(sizeOf(shape));
    const expected = await valueAndGradient("cpu", f, x, w);
    const actual = await valueAndGradient("wasm", f, x, w);
    expectClose(actual.values[0], expected.values[0], `${name} y`);
    expectClose(actual.values[1], expected.values[1], `${name} dx`);
    expect(actual.kernels).toContain(ACTIVATION_GRAD_KERNEL);
    expect(actual.kernels).not.toContain("Greater");
  });

  it("tanh keeps signed zeros, tiny values, saturation and NaN", async () => {
    await tf.setBackend("wasm");
    const y = tf.tidy(() => tf.tanh(tf.tensor([0, -0, 1e-30, -1e-30, 9, -9, 50, -50, Infinity, -Infinity, NaN])));
    expect(Array.from(y.dataSync())).toEqual([0, -0, Math.fround(1e-30), -Math.fround(1e-30), 1, -1, 1, -1, 1, -1, NaN]);
    y.dispose();
  });
});

describe.skipIf(unavailable)("native AvgPoolGrad matches cpu", () => {
  it.each([
    { shape: [2, 26, 26, 32], size: 2, strides: 2, pad: "valid" }, // the template's 2x2 pooling
    { shape: [3, 7, 9, 3], size: 2, strides: 2, pad: "valid" }, // odd sizes: a row and a column no window covers
    { shape: [2, 7, 7, 2], size: 3, strides: 1, pad: "same" }, // overlapping, padded
    { shape: [1, 8, 5, 4], size: 3, strides: 2, pad: "same" },
    { shape: [2, 6, 6, 1], size: [2, 3], strides: [1, 2], pad: "valid" },
  ] as const)("$shape pool $size stride $strides $pad", async ({ shape, size, strides, pad }) => {
    const x = { values: randomValues(sizeOf(shape)), shape: [...shape] };
    const w = randomValues(sizeOf(shape));
    const f = (a: tf.Tensor) => tf.avgPool(a as tf.Tensor4D, size as [number, number], strides as [number, number], pad);
    const expected = await valueAndGradient("cpu", f, x, w);
    const actual = await valueAndGradient("wasm", f, x, w);
    expectClose(actual.values[0], expected.values[0], "avgPool y");
    expectClose(actual.values[1], expected.values[1], "avgPool dx");
  });
});
