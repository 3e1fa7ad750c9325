// A 1 GB model artifact's round trip on the real server, on PGlite (disk store) and PostgreSQL (chunks in the
// database; a throwaway database on 127.0.0.1:5432, skipped with a message when unreachable): a worker agent
// uploads the weights over HTTP and reports the trial complete, the trial is promoted, the model zip is streamed to
// a file and the blob back through the worker GET route. Prints MB/s of each leg, the server's peak RSS over idle
// (the bar: under 300 MB) and whether every byte came back identical. The server runs in this process; the worker's
// own copy of the weights is allocated before idle is measured.
// Usage: npm run bench:artifacts -- [--out FILE] [--mb 1024] [--kinds pglite,postgres]
import os from "node:os";
import type { DatabaseKind } from "../server/db/client";
import { artifactRoundTrip } from "../test/support/artifact-roundtrip";
import { startTestServer } from "../test/support/test-server";
import { option } from "./shared/cli-options";
import { writeReport } from "./shared/report-output";
import { perDatabaseKind } from "./shared/database-kinds";

const BAR_RSS_MB = 300;
const bytes = Number(option("mb", "1024")) * 2 ** 20;
const kinds = option("kinds", "pglite,postgres").split(",") as DatabaseKind[];
const out = option("out", "");

const results = await perDatabaseKind(kinds, async (kind) => {
  console.error(`${kind}: ${bytes / 2 ** 20} MiB round trip…`);
  const server = await startTestServer(kind);
  try {
    const trip = await artifactRoundTrip(server, bytes, { timeoutMs: 1_800_000 });
    return { ...trip, store: kind === "postgres" ? "database (1 MiB chunks)" : "disk", bar: { rss_peak_over_idle_below_mb: BAR_RSS_MB, pass: trip.identical && trip.rss_peak_over_idle_mb < BAR_RSS_MB } };
  } finally {
    await server.stop();
  }
});

const report = {
  bench: "artifacts",
  what: "model weights: agent upload over HTTP + trial:complete, streamed zip download, streamed blob download; server in process",
  bytes,
  machine: { cpus: os.cpus().length, load_average_1m: Math.round(os.loadavg()[0] * 100) / 100, node: process.version },
  results,
};
writeReport(report, out);
