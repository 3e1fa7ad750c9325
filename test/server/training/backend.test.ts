// Backend selection: the auto order, pinning, and the checks that keep a GPU-less or software-only machine on wasm.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initTrainingBackend, parseBackendPreference, trainingEngine } from "../../../server/training/backend";
import { isInstalled } from "../../../server/training/backends/optional-module";
import { startTensorflow, TENSORFLOW_PACKAGES } from "../../../server/training/backends/tensorflow-backend";
import { describeAdapter, hasGpuDeviceNodes, isSoftwareAdapter, startWebgpu } from "../../../server/training/backends/webgpu-backend";

describe("backend preference", () => {
  it("accepts auto and the four backends, and names the source of a bad value", () => {
    expect(parseBackendPreference(undefined)).toBe("auto");
    expect(parseBackendPreference("")).toBe("auto");
    for (const name of ["auto", "tensorflow", "webgpu", "wasm", "cpu"]) expect(parseBackendPreference(name)).toBe(name);
    expect(() => parseBackendPreference("cuda", "--backend")).toThrow(/--backend must be auto, tensorflow, webgpu, wasm, cpu \(got "cuda"\)/);
  });
});

describe("GPU detection", () => {
  function fakeDev(entries: string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dev-"));
    for (const entry of entries) {
      fs.mkdirSync(path.dirname(path.join(dir, entry)), { recursive: true });
      fs.writeFileSync(path.join(dir, entry), "");
    }
    return dir;
  }

  it.runIf(process.platform === "linux")("looks for DRM render nodes or NVIDIA device nodes", () => {
    expect(hasGpuDeviceNodes(fakeDev(["null", "dri/card0"]))).toBe(false);
    expect(hasGpuDeviceNodes(fakeDev(["dri/renderD128"]))).toBe(true);
    expect(hasGpuDeviceNodes(fakeDev(["nvidia0", "nvidiactl"]))).toBe(true);
    expect(hasGpuDeviceNodes(fakeDev(["nvidiactl"]))).toBe(false);
  });

  it("treats fallback and CPU-emulated adapters as software", () => {
    const adapter = (description: string, isFallbackAdapter = false) => ({ isFallbackAdapter, info: { description }, limits: { maxBufferSize: 1 } });
    expect(isSoftwareAdapter(adapter("llvmpipe (LLVM 15.0.6, 256 bits)"))).toBe(true);
    expect(isSoftwareAdapter(adapter("SwiftShader Device (Subzero)"))).toBe(true);
    expect(isSoftwareAdapter(adapter("NVIDIA H100 80GB HBM3", true))).toBe(true);
    expect(isSoftwareAdapter(adapter("NVIDIA H100 80GB HBM3"))).toBe(false);
    expect(describeAdapter({ limits: { maxBufferSize: 1 } })).toBe("unknown WebGPU adapter");
  });
});

describe("starting backends", () => {
  it.skipIf(hasGpuDeviceNodes())("webgpu refuses clearly on a machine without a GPU", async () => {
    await expect(startWebgpu()).rejects.toThrow(/not installed|no GPU device nodes|no WebGPU adapter/);
  });

  it.skipIf(TENSORFLOW_PACKAGES.some(isInstalled))("tensorflow says which packages it looked for", async () => {
    await expect(startTensorflow()).rejects.toThrow(/neither @tensorflow\/tfjs-node-gpu nor @tensorflow\/tfjs-node is installed/);
  });

  it.skipIf(TENSORFLOW_PACKAGES.some(isInstalled))("a pinned backend that cannot start fails loudly instead of falling back", async () => {
    await expect(initTrainingBackend({ preferred: "tensorflow", log: () => {} })).rejects.toThrow(/backend 'tensorflow' was asked for and is unavailable/);
  });

  it.skipIf(TENSORFLOW_PACKAGES.some(isInstalled) || hasGpuDeviceNodes())("auto starts the wasm engine here, natively where g++ is (required in CI), and describes the machine", async () => {
    expect(await initTrainingBackend({ preferred: "auto", log: () => {} })).toBe("wasm");
    const engine = trainingEngine()!;
    if (process.env.CI === "true") expect(engine.label).toBe("wasm+native");
    expect(engine.device).toContain(`(${os.cpus().length} cores)`);
    expect(engine.memoryBytes).toBe(os.totalmem());
    expect(tf.getBackend()).toBe("wasm");
  });

  it("pinning cpu switches this process to the pure-JS backend", async () => {
    expect(await initTrainingBackend({ preferred: "cpu" })).toBe("cpu");
    expect(trainingEngine()!.label).toBe("cpu");
    expect(await initTrainingBackend({ preferred: "wasm", log: () => {} })).toBe("wasm");
  });
});
