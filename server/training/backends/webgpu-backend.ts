// The `webgpu` backend: @tensorflow/tfjs-backend-webgpu over Dawn's Node binding (npm `webgpu`, which ships a
// prebuilt dawn.node), so a GPU trains with no CUDA download; it needs a Vulkan driver. The TF.js backend registers
// itself only when globalThis.navigator.gpu exists at import time, so the adapter is set up first.
import fs from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { importOptional, isInstalled } from "./optional-module";

export interface GpuDevice {
  name: string;
  /** The largest buffer the adapter allows: the nearest thing WebGPU says about device memory. */
  maxBufferBytes: number;
}

interface Adapter {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  limits: { maxBufferSize: number };
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<Adapter | null>;
}
interface DawnModule {
  create(flags: string[]): Gpu;
  globals: Record<string, unknown>;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software/i;

/** Linux exposes GPUs as device nodes; without any, probing Dawn only costs time and prints Vulkan errors. */
export function hasGpuDeviceNodes(devDir = "/dev"): boolean {
  if (process.platform !== "linux") return true;
  try {
    const dri = fs.existsSync(`${devDir}/dri`) && fs.readdirSync(`${devDir}/dri`).some((n) => n.startsWith("renderD"));
    return dri || fs.readdirSync(devDir).some((n) => /^nvidia\d+$/.test(n));
  } catch {
    return false;
  }
}

export function describeAdapter(adapter: Adapter): string {
  const info = adapter.info ?? {};
  return [info.description, info.vendor, info.architecture, info.device].filter(Boolean).join(" ") || "unknown WebGPU adapter";
}

/** Whether an adapter is a CPU emulation (slower than our wasm engine, so never picked automatically). */
export function isSoftwareAdapter(adapter: Adapter): boolean {
  return adapter.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(describeAdapter(adapter));
}

export async function startWebgpu(options: { allowSoftware?: boolean } = {}): Promise<GpuDevice> {
  for (const name of ["webgpu", "@tensorflow/tfjs-backend-webgpu"]) {
    if (!isInstalled(name)) throw new Error(`${name} is not installed (npm install ${name})`);
  }
  if (!hasGpuDeviceNodes()) throw new Error("no GPU device nodes (/dev/dri/renderD*, /dev/nvidia*)");
  const dawn = await importOptional<DawnModule>("webgpu");
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new Error("Dawn found no WebGPU adapter (no GPU, or no Vulkan driver for it)");
  if (isSoftwareAdapter(adapter) && !options.allowSoftware) {
    throw new Error(`the only WebGPU adapter is a software one (${describeAdapter(adapter)})`);
  }
  // Node 20 has no navigator; Node 21+ has one without gpu.
  const scope = globalThis as { navigator?: { gpu?: unknown } };
  if (!scope.navigator) Object.defineProperty(globalThis, "navigator", { value: {}, configurable: true, writable: true });
  scope.navigator!.gpu = gpu;
  await importOptional("@tensorflow/tfjs-backend-webgpu");
  if (!(await tf.setBackend("webgpu"))) throw new Error("the 'webgpu' backend did not start");
  await tf.ready();
  return { name: describeAdapter(adapter), maxBufferBytes: adapter.limits.maxBufferSize };
}
