// Registers our wasm kernels (missing or wrong/slow in stock tfjs-backend-wasm 4.22) and, when the native library
// is loaded, native kernels on top of them (each falls back to the kernel beneath for cases it declines).
// Idempotent, also across duplicated module instances (vitest may load a module twice): our kernelFuncs carry a
// global marker naming their layer and the config they replaced.
import * as tf from "@tensorflow/tfjs";
import { ADAM_UPDATE_KERNEL, adamUpdateKernelConfig } from "../fused-adam";
import {
  BATCH_NORM_TRAIN_GRAD_KERNEL,
  BATCH_NORM_TRAIN_KERNEL,
  batchNormTrainGradKernelConfig,
  batchNormTrainKernelConfig,
  installBatchNormGradient,
} from "../native/batch-norm-kernels";
import { ACTIVATION_GRAD_KERNEL, activationGradKernelConfig, installActivationGradients } from "../native/activation-kernels";
import { DROPOUT_KERNEL, dropoutKernelConfig, installDropoutGradient } from "../native/dropout-kernel";
import type { NativeKernels } from "../native/native-kernels";
import { installReluGradient, RELU_GRAD_KERNEL, reluGradKernelConfig } from "../native/relu-gradient";
import { NATIVE_KERNEL_NAMES, nativeKernelConfig } from "../native/wasm-native-kernels";
import { batchMatMulConfig } from "./batch-mat-mul";
import { conv2dBackpropFilterConfig } from "./conv2d-backprop-filter";
import { conv2dBackpropInputConfig } from "./conv2d-backprop-input";
import { identityConfig } from "./identity";
import { maxPoolGradConfig } from "./max-pool-grad";
import { WASM } from "./wasm-kernel-utils";

const LAYER = Symbol.for("sweepboard.wasm-kernel");
const REPLACED = Symbol.for("sweepboard.wasm-kernel.replaced");

type Layer = "wasm" | "native";
type MarkedKernelFunc = tf.KernelFunc & { [LAYER]?: Layer; [REPLACED]?: tf.KernelConfig };

/** Kernels of our own (no stock counterpart): the fused Adam-family update, ReLU's and other activations'
 *  gradients, batch norm, dropout. */
const OWN_NATIVE_KERNELS: Array<[string, (native: NativeKernels) => tf.KernelConfig]> = [
  [ADAM_UPDATE_KERNEL, adamUpdateKernelConfig],
  [RELU_GRAD_KERNEL, reluGradKernelConfig],
  [BATCH_NORM_TRAIN_KERNEL, batchNormTrainKernelConfig],
  [BATCH_NORM_TRAIN_GRAD_KERNEL, batchNormTrainGradKernelConfig],
  [DROPOUT_KERNEL, dropoutKernelConfig],
  [ACTIVATION_GRAD_KERNEL, activationGradKernelConfig],
];

const layerOf = (config: tf.KernelConfig | undefined) => (config?.kernelFunc as MarkedKernelFunc | undefined)?.[LAYER];

/** Each entry builds our config from the stock one (if any), so wrappers can fall back to it. */
const KERNELS: Array<{ name: string; build: (stock: tf.KernelConfig | undefined) => tf.KernelConfig }> = [
  { name: tf.Conv2DBackpropFilter, build: () => conv2dBackpropFilterConfig },
  { name: tf.Conv2DBackpropInput, build: (stock) => conv2dBackpropInputConfig(stock) },
  { name: tf.MaxPoolGrad, build: () => maxPoolGradConfig },
  { name: tf.BatchMatMul, build: (stock) => batchMatMulConfig(stock) },
  { name: tf.Identity, build: (stock) => identityConfig(stock) },
];

function replace(name: string, config: tf.KernelConfig, layer: Layer, replaced: tf.KernelConfig | undefined): void {
  const marked = config.kernelFunc as MarkedKernelFunc;
  marked[LAYER] = layer;
  marked[REPLACED] = replaced;
  if (replaced) tf.unregisterKernel(name, WASM);
  tf.registerKernel(config);
}

/** Takes native kernels off again (tests compare the layers), restoring what they replaced. */
function removeNative(name: string): boolean {
  const current = tf.getKernel(name, WASM);
  if (layerOf(current) !== "native") return false;
  tf.unregisterKernel(name, WASM);
  const replaced = (current!.kernelFunc as MarkedKernelFunc)[REPLACED];
  if (replaced) tf.registerKernel(replaced);
  return true;
}

/**
 * Registers (or replaces stock) wasm kernels, plus native ones when `native` is given (and removes native ones
 * when it is null). Returns the names registered or removed by this call.
 */
export function registerWasmKernels(native: NativeKernels | null = null): string[] {
  const changed: string[] = [];
  if (!native) {
    for (const name of NATIVE_KERNEL_NAMES) if (removeNative(name)) changed.push(name);
    for (const [name] of OWN_NATIVE_KERNELS) {
      if (!tf.getKernel(name, WASM)) continue;
      tf.unregisterKernel(name, WASM);
      changed.push(name);
    }
  }
  for (const { name, build } of KERNELS) {
    const existing = tf.getKernel(name, WASM);
    if (layerOf(existing)) continue;
    replace(name, build(existing), "wasm", existing);
    changed.push(name);
  }
  if (native) {
    for (const name of NATIVE_KERNEL_NAMES) {
      const existing = tf.getKernel(name, WASM);
      if (layerOf(existing) === "native") continue;
      replace(name, nativeKernelConfig(name, native, existing), "native", existing);
      changed.push(name);
    }
    installReluGradient();
    installBatchNormGradient();
    installDropoutGradient();
    installActivationGradients();
    for (const [name, config] of OWN_NATIVE_KERNELS) {
      if (tf.getKernel(name, WASM)) continue;
      tf.registerKernel(config(native));
      changed.push(name);
    }
  }
  return changed;
}

/** Names of the kernels a worker runs natively right now (empty without the native library). */
export function nativeKernelNames(): string[] {
  return NATIVE_KERNEL_NAMES.filter((name) => layerOf(tf.getKernel(name, WASM)) === "native");
}

export const CUSTOM_WASM_KERNELS = KERNELS.map((k) => k.name);
