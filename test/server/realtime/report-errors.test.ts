// Database errors that no retry can fix are recognised on both databases (through drizzle's wrapper), answered with a
// short reason instead of "retry", and logged without the query's parameters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { RETRY_ERROR } from "../../../server/realtime/events";
import { describeReportFailure, permanentReportError, sqlStateOf } from "../../../server/realtime/report-errors";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";

describe.each(DATABASE_KINDS)("permanent report errors on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());

  const failure = async (query: ReturnType<typeof sql>): Promise<unknown> => {
    try {
      await database.handle.db.execute(query);
    } catch (error) {
      return error;
    }
    throw new Error("expected the query to fail");
  };

  it.each([
    ["a NUL in text", () => sql`select ${"a\u0000b"}::text`, "22021"],
    ["\\u0000 in jsonb", () => sql`select ${'{"a":"\\u0000"}'}::jsonb`, "22P05"],
    ["an integer out of range", () => sql`select ${"1000000000000"}::int`, "22003"],
    ["a malformed uuid", () => sql`select ${"not-a-uuid"}::uuid`, "22P02"],
  ])("recognises %s", async (_label, query, code) => {
    const error = await failure(query());
    expect(sqlStateOf(error)).toBe(code);
    const reason = permanentReportError(error);
    expect(reason).toMatch(new RegExp(`^the server cannot store this report: .+ \\(SQLSTATE ${code}\\)$`));
    expect(reason).not.toBe(RETRY_ERROR);
    expect(reason!.length).toBeLessThan(200);
  });

  it("logs the database's code and message, not the parameters drizzle quotes", async () => {
    const secret = `weights-${"w".repeat(100_000)}\u0000`;
    const error = await failure(sql`select ${secret}::text`);
    const line = describeReportFailure(error);
    expect(line).toMatch(/^database error 22021: /);
    expect(line).not.toContain("wwwwwwwwww");
    expect(line.length).toBeLessThanOrEqual(300);
  });
});

describe("permanentReportError", () => {
  it("leaves errors a retry may fix to the retry path", () => {
    expect(permanentReportError(new Error("connection terminated unexpectedly"))).toBeNull();
    expect(permanentReportError(Object.assign(new Error("could not serialize access"), { code: "40001" }))).toBeNull();
    expect(permanentReportError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBeNull();
    expect(permanentReportError("not an error")).toBeNull();
  });

  it("knows the constraint violations that data alone causes, and follows causes", () => {
    const wrapped = new Error("Failed query: insert …", { cause: Object.assign(new Error("null value in column"), { code: "23502" }) });
    expect(permanentReportError(wrapped)).toMatch(/required value is missing \(SQLSTATE 23502\)/);
    expect(permanentReportError(Object.assign(new Error("check"), { code: "23514" }))).toMatch(/check constraint/);
    expect(permanentReportError(Object.assign(new Error("unique"), { code: "23505" }))).toBeNull();
  });

  it("describes other failures by their first line and a few frames", () => {
    const error = new Error(`boom ${"x".repeat(1000)}\nsecond line with data`);
    const line = describeReportFailure(error);
    expect(line.split("\n")[0].length).toBeLessThanOrEqual(300);
    expect(line).not.toContain("second line");
    expect(line.split("\n").length).toBeLessThanOrEqual(7);
  });
});
