// The fuzz generator itself (test/support/fuzz*.ts), without a server: reproducible from its seed, never throws,
// reaches every route and every socket event, and its hostile inputs are what they claim to be (bodies near the
// 1 MiB limit, not past it unless meant to be; reports that can never be accepted).
import { describe, expect, it } from "vitest";
import { createRng, generateRequest, type FuzzContext } from "../../support/fuzz";
import type { HttpFuzzReport } from "../../support/fuzz-runner";
import { persistenceProblems, tableDeltaProblems, type PersistedCounts } from "../../support/fuzz-setup";
import { generateSocketMessage, type SocketFuzzContext } from "../../support/fuzz-sockets";
import { allRoutes } from "../../support/route-table";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const http: FuzzContext = { routes: allRoutes(), sweepIds: [id(1), id(2)], trialIds: [id(3), id(4)], modelIds: [], tokenIds: [id(5)], blobs: ["a".repeat(64)] };
const sockets: SocketFuzzContext = { held: [{ trialId: id(6), attempt: 0, epochs: 3 }], foreignTrialIds: [id(3), id(4)], sweepIds: [id(1)], blobs: [{ sha256: "a".repeat(64), bytes: 16 }] };

describe("fuzz generator", () => {
  it("is reproducible from its seed", () => {
    const run = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 300 }, () => generateRequest(rng, http)).map((r) => `${r.method} ${r.path} ${r.body?.length ?? ""}`);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("covers every route with its own method and hostile variants, within the body limit", () => {
    const rng = createRng(1);
    const requests = Array.from({ length: 6_000 }, () => generateRequest(rng, http));
    const templates = new Set(requests.map((r) => r.template));
    for (const route of http.routes) expect(templates, `${route.method} ${route.template}`).toContain(`${route.method} ${route.template}`);
    const kinds = requests.map((r) => r.kind).join(" ");
    for (const kind of ["hostile-segment", "random-id", "+query", "invalid-json", "random-json", "oversized", "doc:unknown-refs", "doc:reserved", "doc:bad-text", "doc:number", "doc:deep", "doc:big-list", "doc:huge-string", "budget", "valid-document"]) expect(kinds).toContain(kind);
    expect(new Set(requests.map((r) => r.method))).toEqual(new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND"]));
    expect(requests.filter((r) => r.contentType !== undefined && r.contentType !== "application/json").length).toBeGreaterThan(100);
    // Only the deliberately oversized ones (and a few huge strings with other mutations) are past the gate's 1 MiB.
    const over = requests.filter((r) => r.body !== undefined && Buffer.byteLength(r.body) > 1024 * 1024);
    expect(over.length).toBeGreaterThan(0);
    expect(over.filter((r) => !/oversized|huge-string/.test(r.kind)).map((r) => r.kind)).toEqual([]);
    expect(requests.some((r) => r.path.includes("%E0%A4%A")) && requests.some((r) => r.path.includes("since=%ff"))).toBe(true);
  });

  it("sends every socket event, and reports no server could accept", () => {
    const rng = createRng(2);
    const messages = Array.from({ length: 5_000 }, () => generateSocketMessage(rng, sockets));
    expect(new Set(messages.map((m) => m.event))).toEqual(new Set(["trial:epoch", "trial:complete", "trial:failed", "trial:heartbeat", "worker:idle", "sweep:subscribe", "sweep:unsubscribe"]));
    const reports = messages.filter((m) => ["trial:epoch", "trial:complete", "trial:failed"].includes(m.event));
    expect(reports.every((m) => m.hopeless)).toBe(true);
    // A report aimed at the holder's own trial and attempt (and, for epochs, within its epochs) always has a field
    // broken on purpose: otherwise it could be stored.
    const held = sockets.held[0];
    const onTarget = reports.filter((m) => {
      const p = m.args[0] as { trialId?: unknown; attempt?: unknown; epoch?: unknown } | undefined;
      if (m.sender !== "holder" || m.args.length !== 1 || p?.trialId !== held.trialId || p.attempt !== held.attempt) return false;
      return m.event !== "trial:epoch" || (typeof p.epoch === "number" && p.epoch <= held.epochs);
    });
    expect(onTarget.length).toBeGreaterThan(100);
    expect(onTarget.filter((m) => !/^(bad-|weights-)/.test(m.kind)).map((m) => m.kind)).toEqual([]);
    const kinds = new Set(reports.map((m) => m.kind));
    for (const kind of ["epoch-beyond-trial", "impersonation", "not-held", "lost-attempt", "unknown-trial", "weights-missing", "weights-size", "bad-class-name", "bad-error", "random"]) expect(kinds).toContain(kind);
    // Only the idler asks for work.
    expect(messages.filter((m) => m.event === "worker:idle").every((m) => m.sender === "idler")).toBe(true);
  });

  it("flags rows that no accepted request accounts for", () => {
    const counts: PersistedCounts = { sweeps: 3, models: 0, liveTokens: 3, users: 1, epochs: 0, trialStates: { running: 1 }, socketTrials: { t: "running@0" } };
    const http = { created: { sweeps: 1, models: new Set<string>(), tokens: 0, users: 0, revokedTokens: new Set<string>(), artifacts: 0 } } as HttpFuzzReport;
    expect(persistenceProblems(counts, { ...counts, sweeps: 4 }, http, null)).toEqual([]);
    expect(persistenceProblems(counts, { ...counts, sweeps: 5, users: 2, epochs: 1, socketTrials: { t: "failed@0" } }, http, null)).toEqual([
      "sweeps: 5, expected 4",
      "users: 2, expected 1",
      "epoch records: 1, expected 0",
      "socket sweep trial t: running@0 → failed@0",
    ]);
    expect(tableDeltaProblems({ sweeps: 3, trial_epochs: 0 }, { sweeps: 4, trial_epochs: 2, trials: 9 }, http, null).problems).toContain("table trial_epochs: 2 new rows, expected 0");
  });
});
