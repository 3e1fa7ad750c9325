// Signing in: better-auth (drizzle adapter, our schema) with email + password, argon2id hashes, sessions in the
// database, httpOnly SameSite=Lax cookies (Secure behind https), and a database-backed login rate limit. Public
// sign-up is off: accounts are made by the first-start setup, `sweepboard user create`, or a signed-in user.
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { count } from "drizzle-orm";
import type { Database } from "../db/client";
import { authAccounts, authRateLimits, authSessions, authUsers, authVerifications } from "../db/schema";
import { isUniqueViolation } from "../db/errors";
import { AppError } from "../errors";
import { COOKIE_PREFIX } from "../http/cookie-names";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from "./passwords";

/** The gate writes the socket's address here (replacing anything a client sent), for the login rate limit. */
export const CLIENT_IP_HEADER = "x-sweepboard-client-ip";
export const AUTH_BASE_PATH = "/api/auth";
/** Sign-in attempts per client address per minute. */
export const LOGIN_ATTEMPTS_PER_MINUTE = 5;

export interface AccountsOptions {
  db: Database;
  secret: string;
  baseURL: string;
  secureCookies: boolean;
  /** Origins allowed to post to the auth endpoints (the gate's Host allow-list, as origins). */
  trustedOrigins: (request?: Request) => string[];
}

export type Auth = ReturnType<typeof createBetterAuth>;

function createBetterAuth(o: AccountsOptions) {
  return betterAuth({
    appName: "Sweepboard",
    baseURL: o.baseURL,
    basePath: AUTH_BASE_PATH,
    secret: o.secret,
    database: drizzleAdapter(o.db, {
      provider: "pg",
      schema: { user: authUsers, session: authSessions, account: authAccounts, verification: authVerifications, rateLimit: authRateLimits },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      password: { hash: hashPassword, verify: verifyPassword },
    },
    session: { expiresIn: 7 * 24 * 3600, updateAge: 24 * 3600 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: LOGIN_ATTEMPTS_PER_MINUTE } },
    },
    trustedOrigins: (request) => o.trustedOrigins(request),
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: o.secureCookies,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    telemetry: { enabled: false },
  });
}

export interface SignedInUser {
  userId: string;
  email: string;
  name: string;
}

export class Accounts {
  readonly auth: Auth;

  constructor(private readonly o: AccountsOptions) {
    this.auth = createBetterAuth(o);
  }

  /** The user a request's session cookie belongs to, or null. */
  async sessionUser(headers: Headers): Promise<SignedInUser | null> {
    const found = await this.auth.api.getSession({ headers }).catch(() => null);
    return found ? { userId: found.user.id, email: found.user.email, name: found.user.name } : null;
  }

  async userCount(): Promise<number> {
    const [row] = await this.o.db.select({ n: count() }).from(authUsers);
    return row.n;
  }

  async listUsers(): Promise<{ id: string; email: string; name: string; createdAt: string }[]> {
    const rows = await this.o.db.select().from(authUsers).orderBy(authUsers.createdAt);
    return rows.map((u) => ({ id: u.id, email: u.email, name: u.name, createdAt: u.createdAt.toISOString() }));
  }

  /** Creates a user with a password (as better-auth's admin plugin does: its internal adapter, our hash). */
  async createUser(input: { email: string; name: string; password: string }): Promise<SignedInUser> {
    const email = input.email.trim().toLowerCase();
    if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > MAX_PASSWORD_LENGTH) {
      throw new AppError("invalid", "password", [{ path: "password", message: `must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters` }]);
    }
    const ctx = await this.auth.$context;
    if (await ctx.internalAdapter.findUserByEmail(email)) {
      throw new AppError("conflict", `a user with the email ${email} already exists`);
    }
    const user = await ctx.internalAdapter.createUser({ email, name: input.name, emailVerified: true }, { method: "admin" }).catch((error: unknown) => {
      // Two creates of one email at once (two server instances starting with the same admin): one wins, the other is told.
      if (isUniqueViolation(error)) throw new AppError("conflict", `a user with the email ${email} already exists`);
      throw error;
    });
    await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: await hashPassword(input.password) });
    return { userId: user.id, email: user.email, name: user.name };
  }
}
