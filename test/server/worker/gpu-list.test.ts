// GPU placement inputs: the worker's --gpus list, and which advertised backends count as GPU workers.
import { describe, expect, it } from "vitest";
import { isGpuBackend } from "../../../server/scheduler/worker-registry";
import { gpuEnvironment, parseGpuList } from "../../../server/worker/gpu-list";

describe("--gpus", () => {
  it("parses distinct indices and pins each trainer to its GPU", () => {
    expect(parseGpuList("0")).toEqual([0]);
    expect(parseGpuList("0, 1,3")).toEqual([0, 1, 3]);
    expect(gpuEnvironment(3)).toMatchObject({ CUDA_VISIBLE_DEVICES: "3" });
  });

  it("refuses anything else, naming the flag", () => {
    for (const bad of ["", "a", "0,,1", "-1", "1.5", "0;1"]) expect(() => parseGpuList(bad)).toThrow(/--gpus must list GPU indices/);
    expect(() => parseGpuList("0,0")).toThrow(/--gpus lists a GPU twice/);
  });
});

describe("isGpuBackend", () => {
  it("counts webgpu and tfjs-node-gpu workers as GPU workers", () => {
    expect(isGpuBackend("webgpu")).toBe(true);
    expect(isGpuBackend("tensorflow (gpu)")).toBe(true);
    for (const cpu of ["wasm", "wasm+native", "cpu", "tensorflow", "test"]) expect(isGpuBackend(cpu)).toBe(false);
  });
});
