// The leaderboard, sorted, filtered and paginated by the database: one page of trials with each one's place by the
// sweep metric (a window over the sweep's trial rows, whatever the sort and filter), and the filter's total.
import { and, asc, count, type AnyColumn, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { models, trials } from "../db/schema";
import { RANKING_STATES, sortText, type SortKey } from "./read-queries";
import { toTrialSummary } from "./sweep-store";
import { TRIAL_STATES, type LeaderboardPage, type LeaderboardRow, type TrialState } from "./types";

export interface PageRequest {
  sort: SortKey;
  order: "asc" | "desc";
  states?: TrialState[];
  offset: number;
  limit: number;
}

type Goal = "maximize" | "minimize";

/** True for trials that rank: a ranking state and a value. */
const ranks = () => sql`(${inArray(trials.state, [...RANKING_STATES])} and ${trials.value} is not null)`;

/** Best first by the goal, ties by number: the order of `rank`, of the top-N curves and of "sort=rank". */
export const bestFirst = (goal: Goal): SQL[] => [goal === "maximize" ? sql`${trials.value} desc` : sql`${trials.value} asc`, asc(trials.number)];

export async function leaderboardPage(db: Database, sweep: { id: string; goal: Goal }, request: PageRequest): Promise<LeaderboardPage> {
  // Ranked and sorted over narrow tuples (id, rank, the key's columns); only the page's rows are then read whole:
  // sorting 10,000 full rows (params, metrics, attrs) costs several times more.
  const ranked = db.$with("ranked").as(
    db
      .select({
        id: trials.id,
        number: trials.number,
        state: trials.state,
        epochs: trials.epochs,
        value: trials.value,
        startedAt: trials.startedAt,
        finishedAt: trials.finishedAt,
        params: trials.params,
        metrics: trials.metrics,
        rank: sql<number | null>`case when ${ranks()} then (row_number() over (partition by ${ranks()} order by ${sql.join(bestFirst(sweep.goal), sql`, `)}))::int end`.as("rank"),
      })
      .from(trials)
      .where(eq(trials.sweepId, sweep.id)),
  );
  const states = request.states ? [...request.states] : null;
  const key = sortExpression(request.sort, ranked);
  const order = await db
    .with(ranked)
    .select({ id: ranked.id, rank: ranked.rank })
    .from(ranked)
    .where(states ? inArray(ranked.state, states) : undefined)
    .orderBy(sql`${key} ${sql.raw(request.order)} nulls last`, asc(ranked.number))
    .limit(request.limit)
    .offset(request.offset);
  const full = order.length ? await db.select().from(trials).where(inArray(trials.id, order.map((r) => r.id))) : [];
  const byId = new Map(full.map((row) => [row.id, row]));
  const rows = order.flatMap(({ id, rank }) => (byId.has(id) ? [{ ...byId.get(id)!, rank }] : []));
  const [{ total }] = await db
    .select({ total: count() })
    .from(trials)
    .where(and(eq(trials.sweepId, sweep.id), states ? inArray(trials.state, states) : undefined));
  const modelRows = rows.length
    ? await db.select({ id: models.id, trialId: models.trialId }).from(models).where(inArray(models.trialId, rows.map((r) => r.id)))
    : [];
  const modelOf = new Map(modelRows.map((m) => [m.trialId, m.id]));
  return {
    sort: sortText(request.sort),
    order: request.order,
    states,
    offset: request.offset,
    limit: request.limit,
    total: Number(total),
    rows: rows.map(({ rank, ...row }): LeaderboardRow => ({ ...toTrialSummary(row, modelOf.get(row.id) ?? null), rank: rank === null ? null : Number(rank) })),
  };
}

type SortColumns = Record<"metrics" | "params" | "rank" | "number" | "state" | "epochs" | "value" | "startedAt" | "finishedAt", AnyColumn | SQL.Aliased>;

/** The sort key over the ranked rows. States sort in lifecycle order (TRIAL_STATES); metrics and params by their
 *  jsonb value (numbers numerically, strings lexicographically), a JSON null like a missing key. */
function sortExpression(key: SortKey, r: SortColumns): SQL {
  if (key.kind !== "column") return sql`nullif(${key.kind === "metric" ? r.metrics : r.params} -> ${key.name}::text, 'null'::jsonb)`;
  switch (key.column) {
    case "rank":
      return sql`${r.rank}`;
    case "number":
      return sql`${r.number}`;
    case "state":
      return sql`array_position(array[${sql.join(TRIAL_STATES.map((s) => sql`${s}`), sql`, `)}]::text[], ${r.state})`;
    case "epochs":
      return sql`${r.epochs}`;
    case "value":
      return sql`${r.value}`;
    case "started":
      return sql`${r.startedAt}`;
    case "finished":
      return sql`${r.finishedAt}`;
  }
}
