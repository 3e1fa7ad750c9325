// Generated from the state tables: every (from, to) pair of trial states and of sweep statuses, on both databases.
// A legal move is applied by the one write that makes it; an illegal one changes no row (the guarded statement
// matches nothing) and, asked for explicitly, is refused with a typed error before any SQL runs.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { canTransition, TRIAL_STATE_NAMES, type TrialStateName } from "../../../search/trial-state";
import { sweeps as sweepsTable, trials as trialsTable } from "../../../server/db/schema";
import { canMoveSweep, IllegalSweepMove, moveSweep } from "../../../server/scheduler/sweep-status";
import { STOPPED_BY_SWEEP } from "../../../server/scheduler/trial-lifecycle";
import { IllegalTrialMove, moveGuard } from "../../../server/scheduler/trial-moves";
import { TrialStore, type ReportResult, type TrialRow } from "../../../server/scheduler/trial-store";
import { parseSweepDocument } from "../../../server/sweeps/sweep-document";
import { SweepStore } from "../../../server/sweeps/sweep-store";
import { SWEEP_STATUSES, type SweepStatus } from "../../../server/sweeps/types";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";
import { fakeArtifactRef, fakeEpoch } from "../../support/reports";
import { tinySweep } from "../../support/sweeps";

const pairs = <T extends string>(names: readonly T[]) => names.flatMap((from) => names.map((to) => [from, to] as [T, T]));
const TEST_METRICS = { test_loss: 0.4, test_accuracy: 0.6 };

describe("the state tables' guards", () => {
  it.each(pairs(TRIAL_STATE_NAMES))("trial %s -> %s: a guard only for a legal move", (from, to) => {
    const guard = () => moveGuard({ to, from: [from] });
    if (canTransition(from, to)) expect(guard).not.toThrow();
    else expect(guard).toThrow(IllegalTrialMove);
  });

  it("allows exactly the moves the design names, written out here rather than read from the table", () => {
    const legal = pairs(TRIAL_STATE_NAMES).filter(([from, to]) => canTransition(from, to)).map(([from, to]) => `${from}->${to}`);
    expect(legal.sort()).toEqual(
      ["waiting->running", "waiting->failed", "waiting->stopped", "running->complete", "running->pruned", "running->failed", "running->waiting", "running->stopped"].sort(),
    );
    const sweepMoves = pairs(SWEEP_STATUSES).filter(([from, to]) => canMoveSweep(from, to)).map(([from, to]) => `${from}->${to}`);
    expect(sweepMoves.sort()).toEqual(
      ["queued->running", "queued->paused", "queued->stopped", "running->paused", "running->stopped", "running->finished", "running->failed", "paused->running", "paused->stopped"].sort(),
    );
  });
});

describe.each(DATABASE_KINDS)("trial lifecycle moves on %s", (kind) => {
  let database: TestDatabase;
  let store: TrialStore;
  let sweeps: SweepStore;
  let sweepId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    store = new TrialStore(database.handle.db, 60_000, 3);
    sweeps = new SweepStore(database.handle.db);
  });
  afterAll(() => database.drop());

  beforeEach(async () => {
    // One sweep at a time: claims take the oldest waiting trial of any running sweep.
    await database.handle.db.delete(sweepsTable);
    const parsed = parseSweepDocument(tinySweep({ epochs: 3 }));
    if (!parsed.ok) throw new Error("bad fixture");
    sweepId = (await sweeps.create(parsed.document)).id;
    await sweeps.setStatus(sweepId, "running");
  });

  const stored = async (id: string) => (await database.handle.db.select().from(trialsTable).where(eq(trialsTable.id, id)))[0];
  const moved = (result: ReportResult) => (result.ok && !result.duplicate ? result.trial : null);
  const ok = (result: ReportResult) => {
    if (!result.ok) throw new Error(result.error);
    return result.trial;
  };

  /** A trial brought to `state` by legal moves; a running one holds worker "w" and has reported an epoch. */
  async function trialIn(state: TrialStateName): Promise<TrialRow> {
    const waiting = (await store.insertWaiting(sweepId, 0, {}))!;
    if (state === "waiting") return waiting;
    const { id } = (await store.claimNext("w", "w"))!;
    ok(await store.recordEpoch(id, "w", 0, 1, fakeEpoch(0.6)));
    if (state === "complete") ok(await store.complete(id, "w", 0, TEST_METRICS, fakeArtifactRef()));
    if (state === "pruned") ok(await store.prune(id, "pruned at epoch 1"));
    if (state === "failed") ok(await store.fail(id, "w", "training raised", 0));
    if (state === "stopped") await store.stopUnfinished(sweepId, STOPPED_BY_SWEEP);
    return stored(id);
  }

  /** The one write that moves a trial to each state; the row it moved, or null when it moved nothing. */
  const MOVES: Record<TrialStateName, (trial: TrialRow) => Promise<TrialRow | null>> = {
    running: async (t) => (await store.claimNextFor([{ id: "w2", name: "w2" }])).find((r) => r.id === t.id) ?? null,
    complete: async (t) => moved(await store.complete(t.id, "w", 0, TEST_METRICS, fakeArtifactRef())),
    pruned: async (t) => moved(await store.prune(t.id, "pruned by the test")),
    failed: async (t) => moved(await store.fail(t.id, null, "failed by the server")),
    waiting: async (t) => moved(await store.retry(t.id, "w", 0, "trainer process was killed by SIGKILL")),
    stopped: async (t) => (await store.stopUnfinished(sweepId, STOPPED_BY_SWEEP)).find((r) => r.id === t.id) ?? null,
  };

  it.each(pairs(TRIAL_STATE_NAMES))("%s -> %s is applied only if the table allows it", async (from, to) => {
    const before = await trialIn(from);
    expect(before.state).toBe(from);
    const row = await MOVES[to](before);
    const after = await stored(before.id);
    if (canTransition(from, to)) {
      expect(row?.state).toBe(to);
      expect(after.state).toBe(to);
    } else if (from === "stopped" && to === "complete") {
      // The holder's late result is not a move: the trial stays stopped, and only its model and test metrics are
      // kept (so a stopped trial can be promoted).
      expect(row?.state).toBe("stopped");
      expect({ ...after, metrics: before.metrics, changeXid: before.changeXid }).toEqual(before);
    } else {
      expect(row).toBeNull();
      expect(after).toEqual(before);
    }
  });

  it("a stop keeps a running trial's last value and epochs, and a re-run starts its next attempt afresh", async () => {
    const running = await trialIn("running");
    const [stopped] = await store.stopUnfinished(sweepId, STOPPED_BY_SWEEP);
    expect(stopped).toMatchObject({ id: running.id, state: "stopped", stopReason: STOPPED_BY_SWEEP, error: null, value: 0.6, epochs: 1 });
    expect(stopped.finishedAt).not.toBeNull();

    await database.handle.db.delete(trialsTable);
    const again = await trialIn("running");
    const requeued = ok(await store.retry(again.id, "w", 0, "trainer process was killed by SIGKILL"));
    expect(requeued).toMatchObject({ state: "waiting", attempt: 1, epochs: 0, value: null, workerId: null });
    expect(requeued.stopReason).toContain("attempt 1 lost: trainer process was killed by SIGKILL");
    // A late report of the lost attempt moves nothing.
    expect(await store.retry(again.id, "w", 0, "again")).toMatchObject({ ok: false });
  });

  it("a killed trainer's trial fails once it has had all its attempts", async () => {
    const trial = await trialIn("running");
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(ok(await store.retry(trial.id, "w", attempt, "killed")).state).toBe("waiting");
      expect((await store.claimNext("w", "w"))?.id).toBe(trial.id);
    }
    const last = ok(await store.retry(trial.id, "w", 2, "killed by SIGKILL"));
    expect(last).toMatchObject({ state: "failed", attempt: 2, error: "attempt 3 lost: killed by SIGKILL (no attempts left)" });
  });
});

describe.each(DATABASE_KINDS)("sweep status moves on %s", (kind) => {
  let database: TestDatabase;
  let sweeps: SweepStore;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    sweeps = new SweepStore(database.handle.db);
  });
  afterAll(() => database.drop());

  /** A sweep brought to `status` by legal moves. */
  async function sweepIn(status: SweepStatus) {
    const parsed = parseSweepDocument(tinySweep());
    if (!parsed.ok) throw new Error("bad fixture");
    const { id } = await sweeps.create(parsed.document);
    if (status !== "queued" && status !== "stopped" && status !== "paused") await sweeps.setStatus(id, "running");
    if (status === "paused" || status === "stopped" || status === "failed" || status === "finished") await sweeps.setStatus(id, status, status === "failed" ? "why" : null);
    return (await sweeps.get(id))!;
  }

  it.each(pairs(SWEEP_STATUSES))("%s -> %s is applied only if the table allows it", async (from, to) => {
    const before = await sweepIn(from);
    expect(before.status).toBe(from);
    const db = database.handle.db;
    if (canMoveSweep(from, to)) {
      expect((await moveSweep(db, before.id, to, { from: [from] }))?.status).toBe(to);
      expect((await sweeps.get(before.id))?.status).toBe(to);
    } else {
      // Asked for explicitly: a typed error. As a guarded move from wherever the table allows: no row.
      await expect(moveSweep(db, before.id, to, { from: [from] })).rejects.toThrow(IllegalSweepMove);
      expect(await moveSweep(db, before.id, to)).toBeNull();
      expect(await sweeps.get(before.id)).toEqual(before);
    }
  });
});
