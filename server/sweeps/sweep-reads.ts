// The sweep page's reads, bounded whatever the sweep's size: the snapshot (GET /api/sweeps/:id), leaderboard pages
// (…/trials) and curves (…/curves). Queries are validated here (read-queries.ts); unknown sweeps are not_found.
import { eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { sweeps } from "../db/schema";
import { AppError } from "../errors";
import { isUuid } from "../models/model-registry";
import { leaderboardPage } from "./leaderboard";
import { curvesQuerySchema, parseQuery, snapshotQuerySchema, trialsQuerySchema } from "./read-queries";
import { CurveReader } from "./sweep-curves";
import type { SweepStore } from "./sweep-store";
import type { LeaderboardPage, SweepCurves, SweepSnapshot, SweepSummary } from "./types";

/** What the snapshot's curves hold besides the requested trials. */
export const SNAPSHOT_CURVES = { top: 10, points: 500 } as const;

export class SweepReads {
  private readonly curveReader: CurveReader;

  constructor(
    private readonly db: Database,
    private readonly store: SweepStore,
  ) {
    this.curveReader = new CurveReader(db);
  }

  async snapshot(id: string, input: unknown): Promise<SweepSnapshot> {
    const query = parseQuery(snapshotQuerySchema, input);
    // The change-feed cursor comes first (as in sweep-changes.ts): whatever is written while the rest is read is at
    // or above it, so the page's first /changes?since=cursor returns it.
    const cursor = await this.cursor(id);
    const sweep = await this.summary(id);
    const leaderboard = await leaderboardPage(this.db, { id, goal: sweep.metric.goal }, { ...query, offset: 0 });
    const curves = await this.curveReader.curves(sweep, { ...SNAPSHOT_CURVES, trials: query.trials });
    return { cursor, sweep, leaderboard, curves };
  }

  async trials(id: string, input: unknown): Promise<LeaderboardPage> {
    const query = parseQuery(trialsQuerySchema, input);
    const sweep = await this.summary(id);
    return leaderboardPage(this.db, { id, goal: sweep.metric.goal }, query);
  }

  async curves(id: string, input: unknown): Promise<SweepCurves> {
    const query = parseQuery(curvesQuerySchema, input);
    return this.curveReader.curves(await this.summary(id), query);
  }

  private async cursor(id: string): Promise<string> {
    if (!isUuid(id)) throw new AppError("not_found", "sweep not found");
    const [head] = await this.db.select({ cursor: sql<string>`pg_snapshot_xmin(pg_current_snapshot())::text` }).from(sweeps).where(eq(sweeps.id, id));
    if (!head) throw new AppError("not_found", "sweep not found");
    return head.cursor;
  }

  private async summary(id: string): Promise<SweepSummary> {
    const sweep = isUuid(id) ? await this.store.summary(id) : null;
    if (!sweep) throw new AppError("not_found", "sweep not found");
    return sweep;
  }
}
