// GET /api/sweeps/:id/curves: the sweep metric's learning curves of the top-N trials and of the requested ones,
// each downsampled with LTTB, and "all trials" as a per-epoch envelope (count, min, quartiles, max) computed in SQL
// and cached per sweep version. Work is bounded whatever the sweep's size: at most top + 50 series, and an envelope
// over at most ENVELOPE_TRIALS trials.
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { trials } from "../db/schema";
import { evenSample, lttb, type Point } from "./curve-downsample";
import { bestFirst } from "./leaderboard";
import { RANKING_STATES, type CurvesQuery } from "./read-queries";
import type { CurveEnvelopePoint, CurveSeries, SweepCurves } from "./types";
import { sweepVersion, VersionCache } from "./version-cache";

/** Beyond this many trials with epochs, the envelope is computed over an even sample of them by number: the exact
 *  one reads every epoch row (500k at 10k × 50: 0.8 s on PostgreSQL, 2.4 s on PGlite, which blocks the event loop),
 *  the sample 1/10th of that, and quartiles over 1,000 curves are drawn the same. */
export const ENVELOPE_TRIALS = 1_000;

export interface CurveSweep {
  id: string;
  metric: { name: string; goal: "maximize" | "minimize" };
}

type Rows = Record<string, unknown>[];
const rowsOf = (result: unknown): Rows => (Array.isArray(result) ? result : (result as { rows: Rows }).rows);

export class CurveReader {
  private readonly envelopes = new VersionCache<CurveEnvelopePoint[]>({ maxEntries: 48 });

  constructor(private readonly db: Database) {}

  async curves(sweep: CurveSweep, query: CurvesQuery): Promise<SweepCurves> {
    const { name: metric, goal } = sweep.metric;
    const series = await this.series(sweep, query);
    const envelope = await this.envelope(sweep, query.points);
    return { metric, goal, top: query.top, maxPoints: query.points, series, envelope };
  }

  /** The top-N by the sweep metric (best first), then the requested trials of this sweep by number. */
  private async series(sweep: CurveSweep, query: CurvesQuery): Promise<CurveSeries[]> {
    const fields = { id: trials.id, number: trials.number, state: trials.state, epochs: trials.epochs };
    const top = query.top
      ? await this.db
          .select(fields)
          .from(trials)
          .where(and(eq(trials.sweepId, sweep.id), inArray(trials.state, [...RANKING_STATES]), sql`${trials.value} is not null`))
          .orderBy(...bestFirst(sweep.metric.goal))
          .limit(query.top)
      : [];
    const wanted = (query.trials ?? []).filter((id) => !top.some((t) => t.id === id));
    const extra = wanted.length
      ? await this.db.select(fields).from(trials).where(and(eq(trials.sweepId, sweep.id), inArray(trials.id, wanted))).orderBy(trials.number)
      : [];
    const chosen = [...top, ...extra];
    if (chosen.length === 0) return [];
    const result = await this.db.execute(sql`
      select e.trial_id as "trialId", e.epoch, (e.metrics->>${sweep.metric.name}::text)::float8 as v
      from ${trials} t join trial_epochs e on e.trial_id = t.id and e.attempt = t.attempt
      where t.id in (${sql.join(chosen.map((t) => sql`${t.id}::uuid`), sql`, `)}) and jsonb_typeof(e.metrics->${sweep.metric.name}::text) = 'number'
      order by e.trial_id, e.epoch`);
    const pointsOf = new Map<string, Point[]>();
    for (const row of rowsOf(result)) {
      const id = String(row.trialId);
      const points = pointsOf.get(id) ?? [];
      if (points.length === 0) pointsOf.set(id, points);
      points.push([Number(row.epoch), Number(row.v)]);
    }
    return chosen.map((t) => ({ trialId: t.id, number: t.number, state: t.state, epochs: t.epochs, points: lttb(pointsOf.get(t.id) ?? [], query.points) }));
  }

  private envelope(sweep: CurveSweep, points: number): Promise<CurveEnvelopePoint[]> {
    return this.envelopes.get(
      `${sweep.id}/${sweep.metric.name}/${points}`,
      () => sweepVersion(this.db, sweep.id),
      () => computeEnvelope(this.db, sweep, points),
    );
  }
}

/** Per epoch over the current attempts of (a sample of) the sweep's trials; at most `points` epochs, evenly spaced
 *  and chosen before aggregating, so a long run costs no more than a short one. */
export async function computeEnvelope(db: Database, sweep: CurveSweep, points: number, sampleSize = ENVELOPE_TRIALS): Promise<CurveEnvelopePoint[]> {
  const [{ last }] = await db.select({ last: sql<number | null>`max(${trials.epochs})` }).from(trials).where(eq(trials.sweepId, sweep.id));
  const lastEpoch = Number(last ?? 0);
  if (lastEpoch === 0) return [];
  const step = lastEpoch > points ? Math.ceil((lastEpoch - 1) / (points - 1)) : 1;
  const sampled: SQL = sql.raw(String(sampleSize));
  const value = sql`(e.metrics->>${sweep.metric.name}::text)::float8`;
  const result = await db.execute(sql`
    with s as (
      select id, attempt from (
        select id, attempt, row_number() over (order by number) - 1 as i, count(*) over () as n
        from ${trials} where sweep_id = ${sweep.id}::uuid and epochs > 0
      ) ordered
      where n <= ${sampled} or floor(i * ${sampled}::float8 / n) <> floor((i - 1) * ${sampled}::float8 / n)
    )
    select e.epoch, count(*)::int as trials, min(${value}) as min, max(${value}) as max,
      percentile_cont(0.25) within group (order by ${value}) as p25,
      percentile_cont(0.5) within group (order by ${value}) as median,
      percentile_cont(0.75) within group (order by ${value}) as p75
    from s join trial_epochs e on e.trial_id = s.id and e.attempt = s.attempt
    where jsonb_typeof(e.metrics->${sweep.metric.name}::text) = 'number'
      and ((e.epoch - 1) % ${sql.raw(String(step))} = 0 or e.epoch = ${sql.raw(String(lastEpoch))})
    group by e.epoch order by e.epoch`);
  const envelope = rowsOf(result).map((r) => ({
    epoch: Number(r.epoch),
    trials: Number(r.trials),
    min: Number(r.min),
    p25: Number(r.p25),
    median: Number(r.median),
    p75: Number(r.p75),
    max: Number(r.max),
  }));
  // Epoch numbers beyond a trial's count (gaps, odd numbering) could exceed the budget: the bound is kept anyway.
  return evenSample(envelope, points);
}
