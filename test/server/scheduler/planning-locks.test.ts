// One planner per sweep across server instances: the advisory lock goes to one instance, passes on when that
// instance's session ends (as it does when the process is killed), and is noticed lost after a reconnect.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advisoryPlanningLocks, type PlanningLocks } from "../../../server/scheduler/planning-locks";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../../support/databases";

describe.runIf(postgresAvailable)("advisory planning locks (PostgreSQL)", () => {
  let database: TestDatabase;
  const opened: PlanningLocks[] = [];
  const instance = () => {
    const locks = advisoryPlanningLocks(database.url!);
    opened.push(locks);
    return locks;
  };

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await Promise.all(opened.map((locks) => locks.close().catch(() => {})));
    await database?.drop();
  });

  it("lets one instance plan a sweep until it lets go or its session ends", async () => {
    const [a, b] = [instance(), instance()];
    expect(await a.mayPlan("s1")).toBe(true);
    expect(await a.mayPlan("s1")).toBe(true);
    expect(await b.mayPlan("s1")).toBe(false);
    expect(await b.mayPlan("s2")).toBe(true);
    expect(await a.mayPlan("s2")).toBe(false);

    // A sweep that is no longer active is given up.
    await a.retainOnly(new Set());
    expect(await b.mayPlan("s1")).toBe(true);

    // B's process dies: its connection closes and PostgreSQL frees its locks.
    await b.close();
    expect(await a.mayPlan("s1")).toBe(true);
    expect(await a.mayPlan("s2")).toBe(true);
    await a.close();
  });

  it("notices when its session was replaced and takes the locks again", async () => {
    const [a, b] = [instance(), instance()];
    expect(await a.mayPlan("s3")).toBe(true);
    const admin = postgres(database.url!, { max: 1, onnotice: () => {} });
    try {
      // Ends A's lock session behind its back (a dropped connection, a database restart).
      await admin`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and pid <> pg_backend_pid()`;
    } finally {
      await admin.end({ timeout: 2 });
    }
    expect(await b.mayPlan("s3")).toBe(true);
    // A reconnects, sees a new session, and does not claim a lock it no longer holds.
    await expect(a.mayPlan("s3").catch(() => a.mayPlan("s3"))).resolves.toBe(false);
  });
});
