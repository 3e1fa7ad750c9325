// A trainer double for protocol tests of the agent and gateways: it reports scripted epochs instantly.
// (The real trainer, TF.js in a child process, is exercised by the training and end-to-end tests.)
import type { Trainer } from "../../server/training/trainer-client";
import type { TrainJob } from "../../server/training/types";
import { fakeArtifact, fakeEpoch, fakeEvaluation } from "./reports";

export function scriptedTrainer(
  options: { epochs?: number; failWith?: string; epochDelayMs?: number; accuracy?: (params: TrainJob["params"], epoch: number) => number } = {},
): Trainer & { trained: string[]; acknowledged: string[] } {
  const trained: string[] = [];
  /** "trialId:attempt:epoch" of every epoch the server acknowledged (the agent resolves onEpoch on the ack). */
  const acknowledged: string[] = [];
  let stopRequested = false;
  return {
    trained,
    acknowledged,
    async train(job, onEpoch) {
      trained.push(job.trialId);
      stopRequested = false;
      const epochs = options.epochs ?? 2;
      let run = 0;
      for (let epoch = 1; epoch <= epochs && !stopRequested; epoch++) {
        await new Promise((r) => setTimeout(r, options.epochDelayMs ?? 5));
        if (options.failWith) throw new Error(options.failWith);
        await onEpoch(epoch, fakeEpoch(options.accuracy?.(job.params, epoch) ?? 0.5 + epoch / 10));
        // The agent resolves onEpoch once the server acknowledged the epoch, or after a refusal that stopped us.
        if (!stopRequested) acknowledged.push(`${job.trialId}:${job.attempt}:${epoch}`);
        run = epoch;
      }
      return { epochsRun: run, testMetrics: { test_loss: 0.4, test_accuracy: 0.5 + run / 10 }, evaluation: fakeEvaluation(), artifact: fakeArtifact() };
    },
    stop() {
      stopRequested = true;
    },
    async dispose() {},
    pid: undefined,
    backend: async () => "test",
    engine: async () => null,
  };
}
