// Child-process entry: trains one trial at a time for its parent (trainer-client.ts), keeping the TF.js backend
// and parsed datasets warm across trials. Started with `node --import tsx trainer-process.ts`.
import type { ChildToParent, ParentToChild } from "./trainer-messages";
import { initTrainingBackend, trainingEngine } from "./backend";
import { trainTrial } from "./train-trial";

if (!process.send) throw new Error("trainer-process must be started with an IPC channel (child_process.fork)");

const send = (message: ChildToParent) => process.send!(message);

let stopRequested = false;
let busy = false;
const pendingAcks = new Map<string, () => void>();

async function runTrial(job: Extract<ParentToChild, { type: "train" }>["job"]): Promise<void> {
  busy = true;
  stopRequested = false;
  try {
    const result = await trainTrial(job, {
      onEpoch: (epoch, metrics) =>
        new Promise<void>((resolve) => {
          pendingAcks.set(`${job.trialId}:${epoch}`, resolve);
          send({ type: "epoch", trialId: job.trialId, epoch, metrics });
        }),
      shouldStop: () => stopRequested,
    });
    send({ type: "result", trialId: job.trialId, result });
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    send({ type: "error", trialId: job.trialId, message: err.message, stack: err.stack });
  } finally {
    busy = false;
  }
}

process.on("message", (message: ParentToChild) => {
  switch (message.type) {
    case "train":
      if (busy) {
        send({ type: "error", trialId: message.job.trialId, message: "trainer process is busy with another trial" });
        return;
      }
      void runTrial(message.job);
      return;
    case "stop":
      stopRequested = true;
      return;
    case "epoch-ack": {
      const key = `${message.trialId}:${message.epoch}`;
      pendingAcks.get(key)?.();
      pendingAcks.delete(key);
      return;
    }
  }
});

// Die with the parent: an orphaned trainer would hold a core forever.
process.on("disconnect", () => process.exit(0));

// Initialise the backend up front, so the worker can advertise what it trains on before its first trial.
void initTrainingBackend().then(
  (backend) => send({ type: "ready", pid: process.pid, backend: trainingEngine()?.label ?? backend, engine: trainingEngine() ?? undefined }),
  (error: Error) => send({ type: "ready", pid: process.pid, backend: `unavailable: ${error.message}` }),
);
