// Registers our wasm kernels (missing or wrong/slow in stock tfjs-backend-wasm 4.22). Idempotent, also across
// duplicated module instances (vitest may load a module twice): our kernelFuncs carry a global marker.
import * as tf from "@tensorflow/tfjs";
import { batchMatMulConfig } from "./batch-mat-mul";
import { conv2dBackpropFilterConfig } from "./conv2d-backprop-filter";
import { conv2dBackpropInputConfig } from "./conv2d-backprop-input";
import { maxPoolGradConfig } from "./max-pool-grad";
import { WASM } from "./wasm-kernel-utils";

const OUR_KERNEL = Symbol.for("sweepboard.wasm-kernel");

type MarkedKernelFunc = tf.KernelFunc & { [OUR_KERNEL]?: true };

function isOurs(config: tf.KernelConfig | undefined): boolean {
  return config !== undefined && (config.kernelFunc as MarkedKernelFunc)[OUR_KERNEL] === true;
}

/** Each entry builds our config from the stock one (if any), so wrappers can fall back to it. */
const KERNELS: Array<{ name: string; build: (stock: tf.KernelConfig | undefined) => tf.KernelConfig }> = [
  { name: tf.Conv2DBackpropFilter, build: () => conv2dBackpropFilterConfig },
  { name: tf.Conv2DBackpropInput, build: (stock) => conv2dBackpropInputConfig(stock) },
  { name: tf.MaxPoolGrad, build: () => maxPoolGradConfig },
  { name: tf.BatchMatMul, build: (stock) => batchMatMulConfig(stock) },
];

/** Registers (or replaces stock) wasm kernels; returns the names registered by this call. */
export function registerWasmKernels(): string[] {
  const registered: string[] = [];
  for (const { name, build } of KERNELS) {
    const existing = tf.getKernel(name, WASM);
    if (isOurs(existing)) continue;
    const config = build(existing);
    (config.kernelFunc as MarkedKernelFunc)[OUR_KERNEL] = true;
    if (existing) tf.unregisterKernel(name, WASM);
    tf.registerKernel(config);
    registered.push(name);
  }
  return registered;
}

export const CUSTOM_WASM_KERNELS = KERNELS.map((k) => k.name);
