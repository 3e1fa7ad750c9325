// The native _FusedMatMul (a dense layer tfjs-layers fuses as linear, before a separate activation) against cpu:
// forward and the gradients of a, b and the bias within 1e-5, with and without bias, linear and ReLU, transposed
// operands and a batch dimension; activations it declines (elu) still compute what cpu does. (The stock wasm
// _FusedMatMul is wrong with a batch dimension > 1 — ours is not; the declined case is therefore unbatched.)
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initTrainingBackend } from "../../../server/training/backend";
import { loadNativeKernels } from "../../../server/training/native/native-kernels";
import { expectClose, randomValues, read, sizeOf } from "./kernel-check";

const unavailable = !loadNativeKernels().kernels;

beforeAll(async () => {
  expect(await initTrainingBackend()).toBe("wasm");
});

describe.skipIf(unavailable)("native _FusedMatMul matches cpu", () => {
  it.each([
    { a: [64, 50], b: [50, 33], transposeA: false, transposeB: false, bias: true, activation: "linear" },
    { a: [7, 5], b: [5, 3], transposeA: false, transposeB: false, bias: false, activation: "relu" },
    { a: [5, 7], b: [3, 5], transposeA: true, transposeB: true, bias: true, activation: "relu" },
    { a: [1, 9, 17], b: [1, 17, 4], transposeA: false, transposeB: false, bias: true, activation: "linear" },
    { a: [2, 6, 5], b: [2, 3, 5], transposeA: false, transposeB: true, bias: true, activation: "relu" },
    { a: [6, 5], b: [5, 3], transposeA: false, transposeB: false, bias: true, activation: "elu" },
  ] as const)("$a x $b transposed $transposeA/$transposeB bias $bias $activation", async (c) => {
    const aValues = randomValues(sizeOf(c.a));
    const bValues = randomValues(sizeOf(c.b));
    const columns = c.transposeB ? c.b[c.b.length - 2] : c.b[c.b.length - 1];
    const biasValues = randomValues(columns);
    const wValues = randomValues(sizeOf(c.a) * columns);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const out = tf.tidy(() => {
        const f = (a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor) =>
          tf.fused.matMul({ a, b, transposeA: c.transposeA, transposeB: c.transposeB, bias: c.bias ? bias : undefined, activation: c.activation });
        const a = tf.tensor(aValues, [...c.a]);
        const b = tf.tensor(bValues, [...c.b]);
        const bias = tf.tensor1d(biasValues);
        const y = f(a, b, bias);
        const w = tf.tensor(wValues.subarray(0, y.size), y.shape);
        const loss = (p: tf.Tensor, q: tf.Tensor, r?: tf.Tensor) => tf.sum(tf.mul(f(p, q, r ?? bias), w));
        return [y, ...tf.grads(loss)(c.bias ? [a, b, bias] : [a, b])];
      });
      const values = read(out);
      tf.dispose(out);
      return values;
    };
    const expected = await run("cpu");
    const actual = await run("wasm");
    expected.forEach((e, i) => expectClose(actual[i], e, `${["y", "da", "db", "dbias"][i]} ${JSON.stringify(c)}`));
  });
});
