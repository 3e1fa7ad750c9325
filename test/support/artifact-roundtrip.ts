// A model artifact's whole trip on a real server, for the 100 MB test and the 1 GB benchmark: a worker agent trains
// a (scripted) trial whose weights are `bytes` long, uploads them over HTTP and reports the trial complete; the
// trial is promoted; the model zip is downloaded as a stream to a file, and the blob through the worker GET route.
// The server runs in this process, so its resident memory is this process's, measured from before the upload to
// after the downloads. The weights buffer is the worker's own copy and is allocated before the idle measurement.
import { createWriteStream, rmSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { sha256Hex } from "../../server/artifacts/artifact-store";
import { startWorkerAgent } from "../../server/worker/agent";
import { generated, sha256Of, storedZipEntry, trackPeakRss } from "./artifacts";
import { fakeArtifact } from "./reports";
import { scriptedTrainer } from "./scripted-trainer";
import { tinySweep } from "./sweeps";
import { waitFor, type TestServer } from "./test-server";
import { sweepState } from "./sweep-reads";

export interface RoundTrip {
  bytes: number;
  /** Trainer done → trial complete: the agent hashes the weights, PUTs them, and reports. */
  upload_s: number;
  upload_mb_s: number;
  /** The model zip through ModelRegistry.download (what the Next route streams), to a file. */
  zip_download_s: number;
  zip_download_mb_s: number;
  /** The blob through GET /api/worker/artifacts/:sha256. */
  blob_download_s: number;
  blob_download_mb_s: number;
  rss_idle_mb: number;
  rss_peak_over_idle_mb: number;
  identical: boolean;
}

const MB = 1e6;

export async function artifactRoundTrip(server: TestServer, bytes: number, options: { seed?: number; timeoutMs?: number } = {}): Promise<RoundTrip> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const weights = Buffer.allocUnsafeSlow(bytes);
  let filled = 0;
  for await (const piece of generated(bytes, options.seed ?? 5)) filled += piece.copy(weights, filled);
  const sha256 = sha256Hex(weights);

  const created = await server.app.services.sweeps.create(tinySweep({ name: `artifact-${bytes}`, max_trials: 1, concurrency: 1 }));
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const trainer = scriptedTrainer({ epochs: 1 });
  let trained = 0;
  const big: typeof trainer = {
    ...trainer,
    async train(job, onEpoch) {
      const result = await trainer.train(job, onEpoch);
      trained = performance.now();
      return { ...result, artifact: { ...fakeArtifact(), weights } };
    },
  };

  const idle = process.memoryUsage().rss;
  const peak = trackPeakRss();
  const agent = startWorkerAgent({ serverUrl: server.app.url, token: server.app.workerToken, name: "artifact-worker", backend: "test", trainer: big });
  try {
    const detail = await waitFor(async () => {
      const d = await sweepState(server.app.services, created.id);
      return d.trials[0]?.state !== undefined && ["complete", "failed"].includes(d.trials[0].state) && d;
    }, timeoutMs, "the big trial to end");
    const uploaded = performance.now();
    const trial = detail.trials[0];
    if (trial.state !== "complete") throw new Error(`the trial ended ${trial.state}: ${trial.error}`);

    const { modelId } = await server.app.services.models.promote(trial.id);
    const zipPath = join(server.home, "download.zip");
    const zipStart = performance.now();
    const { stream } = await server.app.services.models.download(modelId);
    await pipeline(stream, createWriteStream(zipPath));
    const zipDone = performance.now();
    const response = await fetch(`${server.app.url}/api/worker/artifacts/${sha256}`, { headers: { authorization: `Bearer ${server.app.workerToken}` } });
    if (!response.ok || !response.body) throw new Error(`GET artifact: ${response.status}`);
    const blobSha = await sha256Of(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>));
    const blobDone = performance.now();
    const peakRss = peak.stop();

    const entry = await storedZipEntry(zipPath, "weights.bin");
    rmSync(zipPath, { force: true });
    const seconds = (from: number, to: number) => (to - from) / 1000;
    const rate = (s: number) => Math.round((bytes / MB / s) * 10) / 10;
    const upload = seconds(trained, uploaded);
    const zip = seconds(zipStart, zipDone);
    const blob = seconds(zipDone, blobDone);
    return {
      bytes,
      upload_s: round(upload),
      upload_mb_s: rate(upload),
      zip_download_s: round(zip),
      zip_download_mb_s: rate(zip),
      blob_download_s: round(blob),
      blob_download_mb_s: rate(blob),
      rss_idle_mb: Math.round(idle / MB),
      rss_peak_over_idle_mb: Math.round((peakRss - idle) / MB),
      identical: entry.sha256 === sha256 && entry.bytes === bytes && blobSha === sha256,
    };
  } finally {
    peak.stop();
    await agent.stop();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
