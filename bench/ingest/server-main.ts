// The real Sweepboard server (database, Socket.IO gateways, scheduler; no Next.js pages, no local workers) in its own
// process, so the benchmark measures its memory alone. Creates the benchmark's sweep and prints
// `{ url, token, apiToken, sweepId }` as one JSON line; runs until SIGTERM.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSweepboard } from "../../server/app-server";

const [databaseUrl, sweepJson] = process.argv.slice(2);
const home = mkdtempSync(join(tmpdir(), "sweepboard-bench-ingest-"));
const token = "bench-ingest-token";
const app = await startSweepboard(
  { port: 0, host: "127.0.0.1", home, databaseUrl, workers: 0, workerToken: token, leaseMs: 30_000, maxAttempts: 3, dashboard: false, dev: false },
  (message) => console.error(message),
);
const created = await app.services.sweeps.create(JSON.parse(sweepJson));
if (!created.ok) throw new Error(`benchmark sweep refused: ${JSON.stringify(created.errors)}`);
// The dashboard client needs a read credential like any browser: an api token.
const apiToken = (await app.services.auth.tokens.create({ name: "bench-dashboard", scope: "api" }, null)).token;
console.log(JSON.stringify({ url: app.url, token, apiToken, sweepId: created.id }));

process.on("SIGTERM", () => {
  void app.close().finally(() => {
    rmSync(home, { recursive: true, force: true });
    process.exit(0);
  });
});
