// The page's reads, with a fake API: bounded requests whatever the sweep's size, and the reconnect path.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { findRow } from "../../app/lib/leaderboard-cache";
import { createSweepLiveController, type SweepLiveController } from "../../app/lib/sweep-live-controller";
import type { SweepChanges } from "../../server/sweeps/types";
import { SWEEP_ID, curves, epoch, page, row, snapshot, trialSummary } from "./fixtures";

const TOTAL = 10_000;
const rowsAt = (offset: number, limit: number) => Array.from({ length: Math.min(limit, TOTAL - offset) }, (_, i) => row(offset + i, { state: "running", value: 0.5 }));

function fakeApi(changes: () => SweepChanges = () => ({ cursor: "200", reset: false, sweep: null, trials: [], epochs: [] })) {
  const urls: string[] = [];
  const fetchJson = async <T,>(url: string): Promise<T> => {
    urls.push(url);
    const u = new URL(url, "http://x");
    if (u.pathname.endsWith("/trials")) {
      const offset = Number(u.searchParams.get("offset"));
      const limit = Number(u.searchParams.get("limit"));
      const query = { sort: u.searchParams.get("sort")!, order: u.searchParams.get("order") as "asc" | "desc", states: null };
      return page(rowsAt(offset, limit), { offset, limit, total: TOTAL, query }) as T;
    }
    if (u.pathname.endsWith("/curves")) return curves([{ number: 0, points: [[1, 0.5]] }]) as T;
    if (u.pathname.endsWith("/changes")) return changes() as T;
    return snapshot(rowsAt(0, 100), { total: TOTAL, curves: curves([{ number: 0, points: [[1, 0.5]] }]) }) as T;
  };
  return { urls, fetchJson };
}

let controller: SweepLiveController;
beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  controller?.dispose();
  vi.useRealTimers();
});

describe("sweep live controller", () => {
  it("loads one snapshot at once, catches up from its cursor after the ack, then reads only the pages in view", async () => {
    const api = fakeApi();
    controller = createSweepLiveController({ sweepId: SWEEP_ID, fetchJson: api.fetchJson, frames: null });
    // The page asks for the snapshot before its socket is up; the ack comes later.
    const loading = controller.loadSnapshotOnce();
    expect(api.urls).toHaveLength(1);
    expect(api.urls[0]).toMatch(/^\/api\/sweeps\/[^/?]+\?sort=rank&order=asc&limit=100$/);
    await loading;
    await controller.subscribed();
    await vi.advanceTimersByTimeAsync(0);
    // What happened between the snapshot's read and the subscription comes from the change feed, not a second snapshot.
    expect(api.urls.slice(1)).toEqual([`/api/sweeps/${SWEEP_ID}/changes?since=100&trials=trial-0`]);
    controller.showRange(9_980, 9_999);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.urls.slice(2)).toEqual([expect.stringMatching(/\/trials\?.*offset=9900&limit=100/)]);
    expect(findRow(controller.getState().board, "trial-9999")).toBeDefined();
    // Page 0 is far away now: dropped, so memory stays bounded while scrolling.
    expect(controller.getState().board.pages[0]).toBeUndefined();
  });

  it("batches pushed events per frame and refreshes the rows in view once, a second after a burst", async () => {
    const api = fakeApi();
    controller = createSweepLiveController({ sweepId: SWEEP_ID, fetchJson: api.fetchJson, frames: null });
    await controller.subscribed();
    let renders = 0;
    controller.subscribe(() => (renders += 1));
    for (let i = 0; i < 300; i++) controller.push({ type: "trial:epoch", sweepId: SWEEP_ID, trialId: `trial-${i % 50}`, record: epoch(1 + Math.floor(i / 50), 0.5 + i / 1000) });
    await vi.advanceTimersByTimeAsync(300);
    expect(renders).toBe(1);
    expect(findRow(controller.getState().board, "trial-3")!.epochs).toBe(6);
    const before = api.urls.length;
    await vi.advanceTimersByTimeAsync(1500);
    const refreshes = api.urls.slice(before).filter((u) => u.includes("/trials?"));
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]).toMatch(/offset=0&limit=100/);
  });

  it("on reconnect asks the change feed from its cursor with the plotted trials, and loads a snapshot only on reset", async () => {
    let reset = false;
    const api = fakeApi(() => ({ cursor: "300", reset, sweep: null, trials: [trialSummary(1, { state: "running", epochs: 4, value: 0.7 })], epochs: [] }));
    controller = createSweepLiveController({ sweepId: SWEEP_ID, fetchJson: api.fetchJson, frames: null });
    await controller.subscribed();
    controller.setPlotted("trial-7", true);
    await vi.advanceTimersByTimeAsync(0);
    await controller.subscribed();
    const changes = api.urls.filter((u) => u.includes("/changes?"));
    // The first ack caught up from the snapshot's cursor; the reconnect from the cursor that catch-up returned.
    expect(changes).toEqual([`/api/sweeps/${SWEEP_ID}/changes?since=100&trials=trial-0`, `/api/sweeps/${SWEEP_ID}/changes?since=300&trials=trial-0%2Ctrial-7`]);
    expect(controller.getState().cursor).toBe("300");
    expect(findRow(controller.getState().board, "trial-1")!.epochs).toBe(4);
    expect(api.urls.filter((u) => /\/sweeps\/[^/]+\?/.test(u))).toHaveLength(1);
    reset = true;
    await controller.subscribed();
    expect(api.urls.filter((u) => /\/sweeps\/[^/]+\?/.test(u))).toHaveLength(2);
  });

  it("a new sort starts from the top with one page request, and a pick reloads the curves with it", async () => {
    const api = fakeApi();
    controller = createSweepLiveController({ sweepId: SWEEP_ID, fetchJson: api.fetchJson, frames: null });
    await controller.subscribed();
    controller.showRange(5000, 5030);
    await vi.advanceTimersByTimeAsync(0);
    const before = api.urls.length;
    controller.setQuery({ sort: "param:learning_rate", order: "desc", states: null });
    controller.showRange(0, 30);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.urls.slice(before)).toEqual([expect.stringMatching(/\/trials\?sort=param%3Alearning_rate&order=desc&offset=0&limit=100$/)]);
    expect(controller.getState().board.query.sort).toBe("param:learning_rate");
    controller.setPlotted("trial-42", true);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.urls.at(-1)).toMatch(/\/curves\?top=10&points=500&trials=trial-42$/);
  });

  it("reports a snapshot that could not be loaded", async () => {
    const errors: (string | null)[] = [];
    controller = createSweepLiveController({
      sweepId: SWEEP_ID,
      fetchJson: async () => {
        throw new Error("sweep not found");
      },
      onError: (e) => errors.push(e),
      frames: null,
    });
    await controller.loadSnapshotOnce();
    expect(errors).toEqual(["sweep not found"]);
  });
});
