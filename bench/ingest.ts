// Sustained metric ingestion: worker agents (real Socket.IO clients) report epochs as fast as their acks allow into
// the real server on PostgreSQL (a throwaway database); one dashboard client in the sweep's room times each epoch from
// the agent's send to its own receipt. A point is one metric value of an epoch report. The reference (raw multi-row
// INSERTs through the same driver) is measured before and after the load, in the same run, for a machine-independent
// ratio. Afterwards every acknowledged report must be stored exactly once.
// Usage: npm run bench:ingest -- [--out FILE] [--agents 16] [--window 16] [--seconds 20] [--warmup 3]
//        [--reference-seconds 4] [--pg postgres://postgres@127.0.0.1:5432/postgres]
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { EPOCHS_PER_TRIAL, startLoad, pointsPerReport } from "./ingest/load";
import { referenceInsertRate } from "./ingest/reference";
import { option } from "./shared/cli-options";
import { percentile } from "./shared/stats";

const BAR_POINTS_PER_S = 50_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const agents = Number(option("agents", "16"));
// Reports an agent keeps unacknowledged. Each commit waits for the disk (fsync), so with one report in flight per agent
// the rate is bounded by 16 / commit latency whatever the server does.
const window = Number(option("window", "16"));
const seconds = Number(option("seconds", "20"));
const warmup = Number(option("warmup", "3"));
const referenceSeconds = Number(option("reference-seconds", "4"));
const adminUrl = option("pg", process.env.SWEEPBOARD_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");

const sweep = {
  name: "bench-ingest",
  dataset: { name: "fashion-mnist", subset: 1000 },
  model: { template: "cnn" },
  method: "random",
  metric: { name: "val_accuracy", goal: "maximize" },
  parameters: { learning_rate: { distribution: "log_uniform_values", min: 0.0001, max: 0.01 }, epochs: { value: EPOCHS_PER_TRIAL } },
  // Each agent moves on to a new trial after EPOCHS_PER_TRIAL epochs (the server refuses later ones).
  budget: { max_trials: 10_000, concurrency: agents },
  seed: 1,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** User + system CPU seconds of a process (Linux clock ticks are 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string; token: string; apiToken: string; sweepId: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/ingest/server-main.ts"), databaseUrl, JSON.stringify(sweep)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) if (line.startsWith("{")) return { child, ...JSON.parse(line) };
  throw new Error(`the server exited (${child.exitCode}) before it was ready`);
}

async function main() {
  const name = `sweepboard_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const databaseUrl = adminUrl.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const referenceOptions = { seconds: referenceSeconds, rowsPerStatement: 256, pointsPerRow: pointsPerReport };
    const referenceBefore = await referenceInsertRate(databaseUrl, referenceOptions);
    server = await startServer(databaseUrl);
    const pid = server.child.pid!;
    const load = await startLoad({ url: server.url, token: server.token, apiToken: server.apiToken, sweepId: server.sweepId, agents, window });
    await sleep(warmup * 1000);

    const rss: { t_s: number; mb: number }[] = [];
    load.startMeasuring();
    const cpuAtStart = cpuSeconds(pid);
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      rss.push({ t_s: +((performance.now() - started) / 1000).toFixed(1), mb: +rssMb(pid).toFixed(1) });
      await sleep(500);
    }
    const acked = load.acked();
    const elapsed = (performance.now() - started) / 1000;
    const serverCpu = cpuSeconds(pid) - cpuAtStart;
    const latencies = load.latenciesMs();
    await load.stop();
    const totalAcked = load.totalAcked();
    load.close();
    const referenceAfter = await referenceInsertRate(databaseUrl, referenceOptions);

    const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const [{ stored, distinct }] = await db`select count(*)::int as stored, count(distinct (trial_id, attempt, epoch))::int as distinct from trial_epochs`;
    await db.end();

    const pointsPerS = (acked * pointsPerReport) / elapsed;
    const reference = (referenceBefore + referenceAfter) / 2;
    const half = rss.slice(Math.floor(rss.length / 2));
    const report = {
      benchmark: "ingest",
      setup: `${agents} agents (Socket.IO clients), ${window} unacknowledged report(s) each, ${pointsPerReport} metrics per epoch report, PostgreSQL ${databaseUrl.replace(/\/\/[^@]*@/, "//")}, server in its own process, one dashboard client in the sweep room; ${os.cpus().length} cores (${os.cpus()[0]?.model}) shared by server, PostgreSQL and clients`,
      seconds: +elapsed.toFixed(1),
      points_per_s: Math.round(pointsPerS),
      reports_per_s: Math.round(acked / elapsed),
      bar: { points_per_s: BAR_POINTS_PER_S, met: pointsPerS >= BAR_POINTS_PER_S },
      reference: {
        what: `raw multi-row INSERT … ON CONFLICT DO NOTHING, ${referenceOptions.rowsPerStatement} epoch rows per statement and commit, one postgres.js connection`,
        points_per_s_before: Math.round(referenceBefore),
        points_per_s_after: Math.round(referenceAfter),
        points_per_s: Math.round(reference),
      },
      ratio_vs_reference: +(pointsPerS / reference).toFixed(3),
      // Less sensitive to other load on the machine than the rates: what the server process spends per report.
      server_cpu_ms_per_report: +((serverCpu * 1000) / acked).toFixed(4),
      server_cpu_cores: +(serverCpu / elapsed).toFixed(2),
      latency_report_to_dashboard_ms: {
        samples: latencies.length,
        p50: +percentile(latencies, 50).toFixed(2),
        p95: +percentile(latencies, 95).toFixed(2),
        p99: +percentile(latencies, 99).toFixed(2),
      },
      server_rss_mb: {
        start: rss[0]?.mb,
        max: Math.max(...rss.map((s) => s.mb)),
        end: rss.at(-1)?.mb,
        second_half_growth: +(half.at(-1)!.mb - half[0].mb).toFixed(1),
        samples: rss,
      },
      exactly_once: { acknowledged: totalAcked, stored, distinct, ok: stored === totalAcked && distinct === stored },
      refused: load.refused().slice(0, 5),
    };
    const json = JSON.stringify(report, null, 2);
    console.log(json);
    if (option("out", "")) fs.writeFileSync(option("out", ""), json + "\n");
    return report.exactly_once.ok && report.refused.length === 0;
  } finally {
    if (server) {
      const exited = new Promise((resolve) => server!.child.once("exit", resolve));
      server.child.kill("SIGTERM");
      await Promise.race([exited, sleep(10_000)]);
    }
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 2 });
  }
}

process.exit((await main()) ? 0 : 1);
