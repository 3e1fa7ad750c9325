// The first snapshot, `GET /api/sweeps/:id`, read off the wire with node:http (fetch would decompress it unseen):
// its size as sent (identity, and compressed when the client offers gzip/br), the decoded size, and its time.
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { withTimeout } from "../shared/timeout";

export interface WireRead {
  status: number;
  content_encoding: string;
  wire_bytes: number;
  decoded_bytes: number;
  ttfb_ms: number;
  total_ms: number;
  server_timing: string | null;
}

export function readOffWire(url: string, headers: Record<string, string>, timeoutMs: number): Promise<WireRead & { body: Buffer }> {
  const started = performance.now();
  const work = new Promise<WireRead & { body: Buffer }>((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const ttfb = performance.now() - started;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const wire = Buffer.concat(chunks);
        const encoding = String(res.headers["content-encoding"] ?? "identity");
        const body = encoding === "gzip" ? gunzipSync(wire) : encoding === "br" ? brotliDecompressSync(wire) : encoding === "deflate" ? inflateSync(wire) : wire;
        resolve({
          status: res.statusCode ?? 0,
          content_encoding: encoding,
          wire_bytes: wire.length,
          decoded_bytes: body.length,
          ttfb_ms: Math.round(ttfb),
          total_ms: Math.round(performance.now() - started),
          server_timing: (res.headers["server-timing"] as string | undefined) ?? null,
          body,
        });
      });
    });
    req.on("error", reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.end();
  });
  return withTimeout(work, timeoutMs + 1000, `GET ${new URL(url).pathname}`);
}

export interface SnapshotFigures {
  /** The cold read, as a browser asks for it (gzip, deflate, br offered). */
  first: WireRead;
  /** The same without compression offered. */
  identity: WireRead;
  /** A second compressed read (anything cached per version shows here). */
  warm: WireRead;
  /** What the snapshot holds, counted (a bounded snapshot holds a page of rows, not every trial). */
  holds: { leaderboard_rows: number | null; curve_series: number | null; trials_field: number | null; total: number | null };
}

export async function measureSnapshot(baseUrl: string, apiToken: string, sweepId: string, timeoutMs: number): Promise<SnapshotFigures> {
  const url = `${baseUrl}/api/sweeps/${sweepId}`;
  const auth = { authorization: `Bearer ${apiToken}` };
  const { body, ...first } = await readOffWire(url, { ...auth, "accept-encoding": "gzip, deflate, br" }, timeoutMs);
  if (first.status !== 200) throw new Error(`GET /api/sweeps/:id answered ${first.status}: ${body.toString("utf8").slice(0, 300)}`);
  const { body: _identityBody, ...identity } = await readOffWire(url, auth, timeoutMs);
  const { body: _warmBody, ...warm } = await readOffWire(url, { ...auth, "accept-encoding": "gzip, deflate, br" }, timeoutMs);
  const parsed = JSON.parse(body.toString("utf8")) as { leaderboard?: { rows?: unknown[]; total?: number }; curves?: { series?: unknown[] }; trials?: unknown[] };
  return {
    first,
    identity,
    warm,
    holds: {
      leaderboard_rows: parsed.leaderboard?.rows?.length ?? null,
      curve_series: parsed.curves?.series?.length ?? null,
      trials_field: parsed.trials?.length ?? null,
      total: parsed.leaderboard?.total ?? null,
    },
  };
}
