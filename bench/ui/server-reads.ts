// Server-side cost of the bounded sweep reads at scale, per database kind: seeds one sweep (bench/ui/seed.ts), then
// times the snapshot (cold: empty caches; warm), a leaderboard page per kind of sort key (first page and deep),
// curves (cold and cached), the analysis, the summary and the change feed's reset, and the JSON sizes. Prints JSON.
//   npx tsx bench/ui/server-reads.ts [--trials 10000] [--epochs 50] [--kinds pglite,postgres]
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { DatabaseKind } from "../../server/db/client";
import { AnalysisCache } from "../../server/sweeps/sweep-analysis";
import { sweepChanges } from "../../server/sweeps/sweep-changes";
import { SweepReads } from "../../server/sweeps/sweep-reads";
import { SweepStore } from "../../server/sweeps/sweep-store";
import { createTestDatabase } from "../../test/support/databases";
import { perDatabaseKind } from "../shared/database-kinds";
import { seedSweep } from "./seed";

const { values } = parseArgs({ options: { trials: { type: "string", default: "10000" }, epochs: { type: "string", default: "50" }, kinds: { type: "string", default: "pglite,postgres" } } });
const SORTS = ["rank", "number", "state", "epochs", "value", "started", "finished", "metric:val_loss", "param:learning_rate", "param:momentum"];

/** Milliseconds of one call, and what it returned. */
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: round(performance.now() - start), value };
}
const round = (ms: number) => Math.round(ms * 10) / 10;
const kib = (value: unknown) => Math.round(Buffer.byteLength(JSON.stringify(value)) / 102.4) / 10;
const median = async (run: () => Promise<unknown>, times = 3) => {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) ms.push((await timed(run)).ms);
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)];
};

async function measure(kind: DatabaseKind) {
  const database = await createTestDatabase(kind);
  try {
    const { db } = database.handle;
    const seeded = await timed(() => seedSweep(db, { trials: Number(values.trials), epochs: Number(values.epochs) }));
    const { sweepId } = seeded.value;
    const store = new SweepStore(db);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const reads = new SweepReads(db, store);
    const cold = await timed(() => reads.snapshot(sweepId, {}));
    const warm = await median(() => reads.snapshot(sweepId, {}));
    const snapshotLagMs = round(lag.max / 1e6); // the longest the event loop waited while snapshots were read
    lag.reset();
    const pages: Record<string, { first: number; deep: number }> = {};
    for (const sort of SORTS) {
      pages[sort] = {
        first: await median(() => reads.trials(sweepId, { sort, limit: "100" })),
        deep: await median(() => reads.trials(sweepId, { sort, order: "desc", limit: "100", offset: String(Math.floor(Number(values.trials) / 2)) })),
      };
    }
    const fresh = new SweepReads(db, store);
    const curvesCold = await timed(() => fresh.curves(sweepId, {}));
    const curvesCached = await median(() => fresh.curves(sweepId, {}));
    const analyses = new AnalysisCache(db);
    const sweepRow = (await store.get(sweepId))!;
    const analysisCold = await timed(() => analyses.get(sweepRow));
    const analysisCached = await median(() => analyses.get(sweepRow));
    const reset = await timed(() => sweepChanges(db, store, sweepId, null));
    lag.disable();
    return {
      seed: { trials: seeded.value.trials, epochRows: seeded.value.epochRows, ms: seeded.ms },
      snapshot: { coldMs: cold.ms, warmMs: warm, kib: kib(cold.value), rows: cold.value.leaderboard.rows.length, series: cold.value.curves.series.length, envelopePoints: cold.value.curves.envelope.length, eventLoopMaxDelayMs: snapshotLagMs },
      /** The longest event-loop wait during everything after the snapshots (pages, curves, analysis, reset). */
      pageMs: pages,
      curves: { coldMs: curvesCold.ms, cachedMs: curvesCached, kib: kib(curvesCold.value) },
      analysis: { coldMs: analysisCold.ms, cachedMs: analysisCached, kib: kib(analysisCold.value), drawn: analysisCold.value.drawn },
      summaryMs: await median(() => store.summary(sweepId)),
      listMs: await median(() => store.list()),
      changesReset: { ms: reset.ms, reset: reset.value.reset },
      eventLoopMaxDelayMs: round(lag.max / 1e6),
    };
  } finally {
    await database.drop();
  }
}

const kinds = values.kinds.split(",") as DatabaseKind[];
console.log(JSON.stringify({ trials: Number(values.trials), epochs: Number(values.epochs), results: await perDatabaseKind(kinds, measure) }, null, 2));
