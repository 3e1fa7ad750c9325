// The trainer child process: training over IPC, stop, crash recovery.
import { afterAll, describe, expect, it } from "vitest";
import { createTrainer } from "../../../server/training/trainer-client";
import type { TrainJob } from "../../../server/training/types";

const job = (trialId: string, epochs: number): TrainJob => ({
  trialId,
  attempt: 0,
  sweepSeed: 3,
  trialSeed: 5,
  dataset: { name: "fashion-mnist", subset: 300, validationSplit: 0.2 },
  template: "cnn",
  params: { epochs, filters: 4, units: 16, batch_size: 16 },
});

const trainer = createTrainer();
afterAll(() => trainer.dispose());

describe("trainer client", () => {
  it("reports the backend its child process trains on", async () => {
    // wasm with native kernels wherever g++ is (CI installs it)
    const expected = process.env.CI === "true" ? "wasm+native" : expect.stringMatching(/^wasm(\+native)?$/);
    expect(await trainer.backend()).toEqual(expected);
    expect(await trainer.backend()).toEqual(expected); // answered from memory once known
    expect(await trainer.engine()).toMatchObject({ backend: "wasm", cores: expect.any(Number), memoryBytes: expect.any(Number) });
  });

  it("trains in a child process, streaming epochs and returning weights as Uint8Array", async () => {
    const epochs: number[] = [];
    const result = await trainer.train(job("ok-1", 2), async (epoch, metrics) => {
      expect(metrics.val_accuracy).toBeGreaterThanOrEqual(0);
      await new Promise((resolve) => setTimeout(resolve, 20)); // the child waits for async handlers
      epochs.push(epoch);
    });
    expect(epochs).toEqual([1, 2]);
    expect(result.epochsRun).toBe(2);
    expect(result.artifact.weights).toBeInstanceOf(Uint8Array);
    expect(result.artifact.weights.byteLength).toBeGreaterThan(0);
    expect(trainer.pid).not.toBe(process.pid);
  });

  it("stop() ends the trial early and still resolves with what was trained", async () => {
    const pid = trainer.pid;
    const result = await trainer.train(job("stop-1", 20), () => trainer.stop());
    expect(result.epochsRun).toBe(1);
    expect(trainer.pid).toBe(pid); // the child is reused across trials
  });

  it("rejects clearly when the child dies mid-trial, then respawns for the next trial", async () => {
    const killedPid = trainer.pid!;
    const crashed = trainer.train(job("crash-1", 50), () => {
      process.kill(killedPid, "SIGKILL");
    });
    await expect(crashed).rejects.toThrow(/trainer process was killed by SIGKILL during trial crash-1/);

    const result = await trainer.train(job("after-crash", 1), () => {});
    expect(result.epochsRun).toBe(1);
    expect(trainer.pid).not.toBe(killedPid);
  });

  it("rejects a diverging trial with the reason its failed trial will show", async () => {
    // sgd at lr 10 against an l2 penalty of 1 multiplies the weights by -19 per step: Inf, then NaN.
    const diverging = { ...job("nan-1", 2), params: { epochs: 2, filters: 4, units: 16, optimizer: "sgd", learning_rate: 10, l2: 1, batch_size: 1 } };
    const epochs: number[] = [];
    await expect(trainer.train(diverging, (epoch) => void epochs.push(epoch))).rejects.toThrow(/^diverged at epoch 1: loss is NaN$/);
    expect(epochs).toEqual([]);
  });

  it("refuses a second trial while one is running", async () => {
    const first = trainer.train(job("busy-1", 1), () => {});
    await expect(trainer.train(job("busy-2", 1), () => {})).rejects.toThrow(/busy with trial busy-1/);
    await first;
  });
});
