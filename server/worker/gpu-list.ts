// `sweepboard worker --gpus 0,1`: one agent (one trainer process, one trial at a time) per listed GPU.

/** Parses "0,1,3" into distinct device indices; throws with the flag's name on anything else. */
export function parseGpuList(value: string): number[] {
  const items = value.split(",").map((item) => item.trim());
  if (items.some((item) => !/^\d{1,3}$/.test(item))) throw new Error(`--gpus must list GPU indices like 0,1 (got "${value}")`);
  const indices = items.map(Number);
  if (new Set(indices).size !== indices.length) throw new Error(`--gpus lists a GPU twice (got "${value}")`);
  return indices;
}

/** The trainer process's environment for one GPU: CUDA_VISIBLE_DEVICES pins tfjs-node-gpu to it. */
export function gpuEnvironment(index: number): Record<string, string> {
  return { CUDA_VISIBLE_DEVICES: String(index), SWEEPBOARD_GPU_INDEX: String(index) };
}
