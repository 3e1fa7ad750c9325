// Search-efficiency benchmark: our samplers on the six objectives of /work/shared/bench/README.md, same seeds and
// budgets as the Optuna reference; writes JSON in the reference schema and prints our best sampler's median regret
// relative to the best Optuna sampler's.
//   npm run bench:search -- --out FILE [--seeds 20] [--trials 100] [--functions a,b] [--samplers a,b]
//                           [--workers N] [--n1000-suggestions 10] [--reference PATH] [--quick]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { OBJECTIVES } from "./search/objectives";
import { aggregate, comparisonTable, timingTable, type ResultEntry } from "./search/report";
import { runOnce, suggestTimeAtN, type RunJob, type RunResult } from "./search/run";
import { DEFAULT_SAMPLERS, SAMPLER_FACTORIES } from "./search/samplers";

type Task = { kind: "run"; job: RunJob } | { kind: "n1000"; functionName: string; sampler: string; measured: number };
type TaskResult = { kind: "run"; result: RunResult } | { kind: "n1000"; functionName: string; sampler: string; times: { wall: number[]; cpu: number[] } };

function perform(task: Task): TaskResult {
  if (task.kind === "run") return { kind: "run", result: runOnce(task.job) };
  return { kind: "n1000", functionName: task.functionName, sampler: task.sampler, times: suggestTimeAtN(task.functionName, task.sampler, 1000, task.measured) };
}

// A child process (see runPool) receives its share of tasks over IPC and sends each result back.
if (process.env.SWEEPBOARD_BENCH_CHILD === "1") {
  process.once("message", (tasks: Task[]) => {
    for (const task of tasks) process.send!(perform(task));
    // Messages are delivered in order: once the marker is flushed, so is everything before it.
    process.send!({ kind: "done" }, () => process.disconnect());
  });
} else {
  await main();
}

function parseArgs(argv: string[]) {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith("--")) continue;
    const key = argv[i].slice(2);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) args.set(key, argv[++i]);
    else args.set(key, "true");
  }
  const quick = args.has("quick");
  return {
    out: args.get("out") ?? "bench-search-results.json",
    seeds: Number(args.get("seeds") ?? (quick ? 5 : 20)),
    trials: Number(args.get("trials") ?? 100),
    functions: (args.get("functions") ?? OBJECTIVES.map((o) => o.name).join(",")).split(","),
    samplers: (args.get("samplers") ?? DEFAULT_SAMPLERS.join(",")).split(","),
    workers: Number(args.get("workers") ?? Math.max(1, availableParallelism())),
    n1000: Number(args.get("n1000-suggestions") ?? (quick ? 3 : 10)),
    reference: args.get("reference") ?? "/work/shared/bench/results.json",
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  for (const s of options.samplers) if (!SAMPLER_FACTORIES[s]) throw new Error(`unknown sampler ${s}; known: ${Object.keys(SAMPLER_FACTORIES).join(", ")}`);
  const tasks: Task[] = [];
  for (const functionName of options.functions)
    for (const sampler of options.samplers) {
      for (let seed = 0; seed < options.seeds; seed++) tasks.push({ kind: "run", job: { functionName, sampler, seed, trials: options.trials } });
      if (options.n1000 > 0) tasks.push({ kind: "n1000", functionName, sampler, measured: options.n1000 });
    }
  const started = performance.now();
  const results = await runPool(tasks, options.workers);
  const runs = results.flatMap((r) => (r.kind === "run" ? [r.result] : []));
  const entries: ResultEntry[] = [];
  for (const functionName of options.functions)
    for (const sampler of options.samplers) {
      const mine = runs.filter((r) => r.functionName === functionName && r.sampler === sampler);
      const timing = results.find((r) => r.kind === "n1000" && r.functionName === functionName && r.sampler === sampler);
      entries.push(aggregate(mine, SAMPLER_FACTORIES[sampler].config, timing?.kind === "n1000" ? timing.times : null, options.workers));
    }
  const reference = existsSync(options.reference) ? JSON.parse(readFileSync(options.reference, "utf8")) : null;
  const output = {
    schema: reference?.schema ?? "sweepboard-search-bench",
    description:
      "Sweepboard samplers on the objectives of /work/shared/bench/README.md. regret = best-so-far - f*. timing_ms: wall " +
      "time of study.ask() (the sampler's cost), objective excluded; suggest_*_at_n1000 = ask() with 1000 finished " +
      "trials in the study; runs were spread over `parallel_benchmark_workers` processes.",
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      workers: options.workers,
      n_trials: options.trials,
      n_seeds: options.seeds,
      checkpoints: [25, 50, 100],
      total_wall_s: (performance.now() - started) / 1000,
    },
    functions: reference?.functions ?? {},
    results: entries,
  };
  writeFileSync(options.out, JSON.stringify(output, null, 1));
  if (!reference) console.log(`(no reference at ${options.reference}: ratios omitted)`);
  console.log(comparisonTable(entries, reference?.results ?? null));
  console.log();
  console.log(timingTable(entries));
  console.log(`\nwrote ${options.out} in ${output.meta.total_wall_s.toFixed(1)} s`);
}

/** Longest tasks first, dealt round-robin to child processes (results are deterministic; only timings share cores). */
async function runPool(tasks: Task[], workers: number): Promise<TaskResult[]> {
  const cost = (t: Task) => (t.kind === "n1000" ? 3 : 1) * (t.kind === "run" && t.job.sampler === "gp" ? 20 : 1);
  const ordered = tasks.slice().sort((a, b) => cost(b) - cost(a));
  const shares: Task[][] = Array.from({ length: Math.min(workers, ordered.length) }, () => []);
  ordered.forEach((task, i) => shares[i % shares.length].push(task));
  if (shares.length <= 1) return ordered.map(perform);
  const results: TaskResult[] = [];
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const child = fork(fileURLToPath(import.meta.url), [], {
            execArgv: ["--import", "tsx"],
            env: { ...process.env, SWEEPBOARD_BENCH_CHILD: "1" },
          });
          child.on("message", (m: TaskResult | { kind: "done" }) => {
            if (m.kind !== "done") results.push(m);
          });
          child.on("error", reject);
          child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`benchmark child exited with ${code}`))));
          child.send(share);
        }),
    ),
  );
  return results;
}
