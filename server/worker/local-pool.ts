// The server's own workers: ordinary worker agents that connect to it over loopback.
import { hostname } from "node:os";
import { createTrainer } from "../training/trainer-client";
import { startWorkerAgent, type WorkerAgent } from "./agent";

export interface LocalPool {
  agents: WorkerAgent[];
  stop(): Promise<void>;
}

export function startLocalPool(options: { size: number; serverUrl: string; token: string; log: (m: string) => void }): LocalPool {
  const agents = Array.from({ length: options.size }, (_, i) =>
    startWorkerAgent({
      serverUrl: options.serverUrl,
      token: options.token,
      name: `${hostname()}-local-${i + 1}`,
      backend: "wasm",
      trainer: createTrainer(),
      log: options.log,
    }),
  );
  return { agents, stop: async () => void (await Promise.all(agents.map((a) => a.stop()))) };
}
