// Command-line options of `npm run bench:ui`; smaller values make a quick run (e.g. --sizes 200x10 --kinds pglite --tabs 2).
import type { DatabaseKind } from "../../server/db/client";
import { option } from "../shared/cli-options";

export interface SweepSize {
  trials: number;
  epochs: number;
  label: string;
}

export interface UiBenchOptions {
  out: string;
  kinds: DatabaseKind[];
  sizes: SweepSize[];
  /** Tabs that open the page at once while /api/health is probed (the bar says five). */
  tabs: number;
  /** Bound on each page wait (load, sort, stream): a page slower than this is a failed figure, not a hang. */
  pageTimeoutMs: number;
  /** Bound on the snapshot request (main took 153 s at 10k). */
  requestTimeoutMs: number;
  /** Epoch reports per second the fake workers send in total, and for how long. */
  pointsPerSecond: number;
  streamSeconds: number;
  /** Trials (one worker socket each) the stream is spread over. */
  streamTrials: number;
  /** Milliseconds between /api/health probes. */
  probeEveryMs: number;
}

function parseSize(text: string): SweepSize {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`--sizes takes TRIALSxEPOCHS[,…] (e.g. 1000x50,10000x50), not "${text}"`);
  return { trials: Number(match[1]), epochs: Number(match[2]), label: `${match[1]}x${match[2]}` };
}

export function readOptions(): UiBenchOptions {
  const kinds = option("kinds", "pglite,postgres").split(",") as DatabaseKind[];
  for (const kind of kinds) if (kind !== "pglite" && kind !== "postgres") throw new Error(`--kinds takes pglite and/or postgres, not "${kind}"`);
  return {
    out: option("out", ""),
    kinds,
    sizes: option("sizes", "1000x50,10000x50").split(",").map(parseSize),
    tabs: Number(option("tabs", "5")),
    pageTimeoutMs: Number(option("page-timeout-s", "60")) * 1000,
    requestTimeoutMs: Number(option("request-timeout-s", "240")) * 1000,
    pointsPerSecond: Number(option("points-per-s", "1000")),
    streamSeconds: Number(option("stream-s", "8")),
    streamTrials: Number(option("stream-trials", "20")),
    probeEveryMs: Number(option("probe-ms", "20")),
  };
}
