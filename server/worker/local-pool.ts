// The server's own workers: ordinary worker agents that connect to it over loopback.
import { hostname } from "node:os";
import { createTrainer } from "../training/trainer-client";
import { startWorkerAgent, type WorkerAgent } from "./agent";

export interface LocalPool {
  agents: WorkerAgent[];
  stop(): Promise<void>;
}

/** Each agent connects once its trainer process is up, advertising the backend that process trains on. */
export async function startLocalPool(options: { size: number; serverUrl: string; token: string; home: string; log: (m: string) => void }): Promise<LocalPool> {
  const started = await Promise.all(
    Array.from({ length: options.size }, async (_, i) => {
      // The trainers cache decoded datasets under the server's home, however the server was started.
      const trainer = createTrainer({ env: { SWEEPBOARD_HOME: options.home } });
      // A pinned backend that cannot start (SWEEPBOARD_BACKEND) leaves this worker out, loudly.
      if (!(await trainer.engine())) {
        options.log(`local worker ${i + 1} not started: ${await trainer.backend()}`);
        await trainer.dispose();
        return null;
      }
      return startWorkerAgent({
        serverUrl: options.serverUrl,
        token: options.token,
        name: `${hostname()}-local-${i + 1}`,
        backend: await trainer.backend(),
        engine: (await trainer.engine()) ?? undefined,
        trainer,
        log: options.log,
      });
    }),
  );
  const agents = started.filter((agent): agent is WorkerAgent => agent !== null);
  return { agents, stop: async () => void (await Promise.all(agents.map((a) => a.stop()))) };
}
