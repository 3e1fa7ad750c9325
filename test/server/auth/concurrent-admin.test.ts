// Two server instances starting at once on one empty PostgreSQL database, both with SWEEPBOARD_ADMIN_PASSWORD: one
// creates the admin, the other starts too (it used to die on the unique email).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Accounts } from "../../../server/auth/accounts";
import { prepareFirstAccount } from "../../../server/auth/first-account";
import { TEST_PASSWORD } from "../../support/auth";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";

describe.each(DATABASE_KINDS)("first admin on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("is created once when several instances start together", async () => {
    const accounts = () => new Accounts({ db: database.handle.db, secret: "s".repeat(32), baseURL: "http://localhost", secureCookies: false, trustedOrigins: () => [] });
    const admin = { email: "admin@sweepboard.test", password: TEST_PASSWORD };
    const logs: string[] = [];
    const starts = await Promise.allSettled(
      Array.from({ length: 4 }, () => prepareFirstAccount(accounts(), { admin, setupUrl: (t) => t, log: (m) => logs.push(m) })),
    );
    expect(starts.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect((await accounts().listUsers()).map((u) => u.email)).toEqual([admin.email]);
    expect(logs.filter((m) => m.startsWith("created the admin account"))).toHaveLength(1);
    // A create through the API for an email that exists is a 409, never a 500.
    await expect(accounts().createUser({ ...admin, name: "again" })).rejects.toMatchObject({ code: "conflict" });
  });
});
