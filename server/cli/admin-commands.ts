// `sweepboard user create` and `sweepboard token create|list|revoke`: the same stores the server uses, on the same
// database. The embedded database (PGlite) belongs to one process: with it these refuse while the server runs (use
// the Settings page then); with DATABASE_URL they work any time.
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { Accounts } from "../auth/accounts";
import { newTokenSchema, newUserSchema } from "../auth/auth-schemas";
import { loadOrCreateSecret } from "../auth/server-secret";
import { TokenStore } from "../auth/token-store";
import type { SweepboardConfig } from "../config";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { embeddedDatabaseHolder } from "../db/embedded-lock";

async function withDatabase<T>(config: SweepboardConfig, run: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  if (!config.databaseUrl) {
    const pid = embeddedDatabaseHolder(config.home);
    if (pid !== null) throw new Error(`the server (pid ${pid}) has the embedded database open: stop it first, or use the dashboard's Settings page`);
  }
  const handle = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.home, "pgdata") });
  try {
    return await run(handle);
  } finally {
    await handle.close();
  }
}

function fail(issues: { path: PropertyKey[]; message: string }[]): never {
  throw new Error(issues.map((i) => `--${String(i.path[0] ?? "input")}: ${i.message}`).join("\n"));
}

export async function createUserCommand(config: SweepboardConfig, options: { email?: string; name?: string }): Promise<void> {
  const password = await readPassword();
  const parsed = newUserSchema.safeParse({ email: options.email ?? "", name: options.name ?? "Admin", password });
  if (!parsed.success) fail(parsed.error.issues);
  await withDatabase(config, async ({ db }) => {
    const accounts = new Accounts({ db, secret: loadOrCreateSecret(config.home, config.secret, "secret"), baseURL: "http://localhost", secureCookies: false, trustedOrigins: () => [] });
    const user = await accounts.createUser(parsed.data);
    console.log(`created user ${user.email}`);
  });
}

export async function tokenCommand(config: SweepboardConfig, action: string | undefined, options: { name?: string; scope?: string; id?: string }): Promise<void> {
  await withDatabase(config, async ({ db }) => {
    const tokens = new TokenStore(db, loadOrCreateSecret(config.home, config.workerToken, "worker-token", 24));
    if (action === "create") {
      const parsed = newTokenSchema.safeParse({ name: options.name ?? "", scope: options.scope ?? "worker" });
      if (!parsed.success) fail(parsed.error.issues);
      const { token, summary } = await tokens.create(parsed.data);
      console.error(`created ${summary.scope} token "${summary.name}" (${summary.id}); it is shown this once:`);
      console.log(token);
    } else if (action === "list") {
      for (const t of await tokens.list()) console.log([t.id, t.scope, t.name, `${t.prefix}…`, `last used ${t.lastUsedAt ?? "never"}`].join("\t"));
    } else if (action === "revoke") {
      if (!options.id || !(await tokens.revoke(options.id))) throw new Error(`no live token with id ${options.id ?? "(none given)"}`);
      console.log(`revoked ${options.id}`);
    } else {
      throw new Error("usage: sweepboard token create --name NAME [--scope worker|api] | token list | token revoke ID");
    }
  });
}

/** From stdin when piped (`echo … | sweepboard user create …`), else a prompt that does not echo. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let input = "";
    for await (const chunk of process.stdin) input += chunk;
    return input.replace(/\r?\n$/, "");
  }
  let muted = false;
  const output = new Writable({ write: (chunk, _enc, done) => (muted || process.stdout.write(chunk), done()) });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve) => rl.question("password: ", resolve));
  muted = true;
  const password = await answer;
  rl.close();
  process.stdout.write("\n");
  return password;
}
