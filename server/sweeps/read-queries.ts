// The query strings of the sweep read routes (GET /api/sweeps/:id, …/trials, …/curves), validated with zod: every
// list and number is bounded, and a bad value is a 400 naming its field. Route handlers pass the search params as a
// plain object of strings; the services parse them here.
import { z } from "zod";
import { isReservedParameterName } from "../../search/space/names";
import { AppError } from "../errors";
import { isUuid } from "../models/model-registry";
import { TRIAL_STATES, type TrialState } from "./types";

/** States whose trials rank on the leaderboard by the sweep metric (when they have a value). */
export const RANKING_STATES: readonly TrialState[] = TRIAL_STATES.filter((s) => ["complete", "running", "stopped"].includes(s));
/** Ended states whose value counts as a result (the sweep's best value, the analysis). */
export const RESULT_STATES: readonly TrialState[] = TRIAL_STATES.filter((s) => ["complete", "stopped"].includes(s));

export const COLUMN_SORTS = ["rank", "number", "state", "epochs", "value", "started", "finished"] as const;
export type ColumnSort = (typeof COLUMN_SORTS)[number];
export type SortKey = { kind: "column"; column: ColumnSort } | { kind: "metric" | "param"; name: string };

export const LIMITS = { pageSize: 500, offset: 1_000_000, nameLength: 64, top: 50, trials: 50, points: { min: 10, max: 2_000 } } as const;

const SORT_MESSAGE = `is one of ${COLUMN_SORTS.join(", ")}, metric:<name> or param:<name>`;

const sortKey = z.string().transform((text, ctx): SortKey => {
  if ((COLUMN_SORTS as readonly string[]).includes(text)) return { kind: "column", column: text as ColumnSort };
  const match = /^(metric|param):(.*)$/s.exec(text);
  if (!match) {
    ctx.addIssue({ code: "custom", message: SORT_MESSAGE });
    return z.NEVER;
  }
  const name = match[2];
  // The rules of declared names (search/space/names.ts), shorter: unknown names are fine and sort as null.
  if (name.length < 1 || name.length > LIMITS.nameLength) ctx.addIssue({ code: "custom", message: `the ${match[1]} name is 1 to ${LIMITS.nameLength} characters` });
  else if (isReservedParameterName(name)) ctx.addIssue({ code: "custom", message: `\`${name}\` is not a ${match[1]} name` });
  return { kind: match[1] as "metric" | "param", name };
});

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `is an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `is at least ${min}`).max(max, `is at most ${max}`))
    .default(fallback);

/** A comma-separated list (checked for length before it is split, so a huge one costs nothing), without repeats. */
const list = <T extends string>(item: z.ZodType<T, string>, min: number, max: number, what: string) =>
  z
    .string()
    .max(max * 40, `lists at most ${max} ${what}`)
    .transform((text) => (text === "" ? [] : text.split(",")))
    .pipe(z.array(item).min(min, `lists at least ${min} of ${what}`).max(max, `lists at most ${max} ${what}`))
    .transform((items) => [...new Set(items)]);

const stateName = z.string().refine((s): s is TrialState => (TRIAL_STATES as readonly string[]).includes(s), `lists states among ${TRIAL_STATES.join(", ")}`);
const states = list(stateName as z.ZodType<TrialState, string>, 1, TRIAL_STATES.length * 2, "states");
const trialIds = list(z.string().refine(isUuid, "lists trial ids (uuids)"), 0, LIMITS.trials, "trials");

const leaderboardFields = {
  sort: sortKey.default({ kind: "column", column: "rank" }),
  order: z.enum(["asc", "desc"], { error: "is asc or desc" }).default("asc"),
  states: states.optional(),
};
const curveFields = {
  top: integer(0, LIMITS.top, 10),
  trials: trialIds.optional(),
  points: integer(LIMITS.points.min, LIMITS.points.max, 500),
};

export const trialsQuerySchema = z.strictObject({ ...leaderboardFields, offset: integer(0, LIMITS.offset, 0), limit: integer(1, LIMITS.pageSize, 100) });
export const curvesQuerySchema = z.strictObject(curveFields);
/** The snapshot: the leaderboard's first page and the default curves (top 10, 500 points) plus `trials`. */
export const snapshotQuerySchema = z.strictObject({ ...leaderboardFields, limit: integer(1, LIMITS.pageSize, 100), trials: trialIds.optional() });

export type TrialsQuery = z.output<typeof trialsQuerySchema>;
export type CurvesQuery = z.output<typeof curvesQuerySchema>;
export type SnapshotQuery = z.output<typeof snapshotQuerySchema>;

/** The parsed query, or AppError("invalid") naming each bad field. `input` is the search params as an object. */
export function parseQuery<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.slice(0, 10).map((issue) => ({
    path: issue.code === "unrecognized_keys" ? issue.keys.join(",") : String(issue.path[0] ?? "query"),
    message: issue.code === "unrecognized_keys" ? "is not a parameter of this route" : issue.message,
  }));
  throw new AppError("invalid", "bad query", details);
}

/** A sort key as the page reports it back. */
export const sortText = (key: SortKey) => (key.kind === "column" ? key.column : `${key.kind}:${key.name}`);
