// `sweepboard user create` and `sweepboard token …` as a user runs them, against an embedded database's home.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../server/app-server";
import { Accounts } from "../../../server/auth/accounts";
import { TokenStore } from "../../../server/auth/token-store";
import { openDatabase } from "../../../server/db/client";
import { holdEmbeddedDatabase } from "../../../server/db/embedded-lock";
import { TEST_PASSWORD } from "../../support/auth";

const home = mkdtempSync(join(tmpdir(), "sweepboard-cli-"));

function cli(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "server/cli.ts"), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, SWEEPBOARD_HOME: home } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

describe("sweepboard user and token commands", () => {
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  let workerToken = "";
  let tokenId = "";

  it("creates a user with the password from stdin", async () => {
    const made = await cli(["user", "create", "--email", "ops@example.com", "--name", "Ops"], `${TEST_PASSWORD}\n`);
    expect(made, made.stderr).toMatchObject({ code: 0 });
    expect(made.stdout).toContain("created user ops@example.com");
    const short = await cli(["user", "create", "--email", "x@example.com"], "short\n");
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain("--password");
  }, 60_000);

  it("creates, lists and revokes tokens, printing the token once", async () => {
    const made = await cli(["token", "create", "--name", "gpu-box-1", "--scope", "worker"]);
    expect(made, made.stderr).toMatchObject({ code: 0 });
    workerToken = made.stdout.trim();
    expect(workerToken).toMatch(/^sbk_wrk_[\w-]{40,}$/);
    const list = await cli(["token", "list"]);
    const line = list.stdout.split("\n").find((l) => l.includes("gpu-box-1"))!;
    expect(line).not.toContain(workerToken);
    tokenId = line.split("\t")[0];
    expect((await cli(["token", "create", "--name", "x", "--scope", "root"])).code).not.toBe(0);
  }, 60_000);

  it("leaves what a server would accept: the account signs in, the token authenticates until revoked", async () => {
    const { db, close } = await openDatabase({ dataDir: join(home, "pgdata") });
    try {
      const accounts = new Accounts({ db, secret: "s".repeat(40), baseURL: "http://localhost", secureCookies: false, trustedOrigins: () => [] });
      expect((await accounts.listUsers()).map((u) => u.email)).toEqual(["ops@example.com"]);
      expect(await new TokenStore(db, "local-token-unused").authenticate(workerToken)).toMatchObject({ scope: "worker", name: "gpu-box-1" });
    } finally {
      await close();
    }
    expect((await cli(["token", "revoke", tokenId])).code).toBe(0);
    const again = await openDatabase({ dataDir: join(home, "pgdata") });
    try {
      expect(await new TokenStore(again.db, "local-token-unused").authenticate(workerToken)).toBeNull();
    } finally {
      await again.close();
    }
  }, 60_000);

  it("refuses to open the embedded database while a server holds it", async () => {
    const release = holdEmbeddedDatabase(home); // this test process plays the running server
    try {
      const refused = await cli(["token", "list"]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain("has the embedded database open");
    } finally {
      release();
    }
  }, 60_000);
});
