// API and worker tokens: 32 random bytes shown once, stored as their SHA-256 (the entropy makes a slow hash
// pointless, and a lookup by hash is one indexed read), listed with their last use, revocable.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../db/client";
import { apiTokens } from "../db/schema";
import type { Principal, TokenScope } from "../http/access";

/** Tokens are typed by their prefix, so a leaked one in a log says what it opens. */
const PREFIX: Record<TokenScope, string> = { api: "sbk_api_", worker: "sbk_wrk_" };
/** The id of the token the server generates for its own local pool (SWEEPBOARD_WORKER_TOKEN or the token file). */
export const LOCAL_WORKER_TOKEN_ID = "local";
/** last_used_at is written at most this often per token: a busy worker must not cost a write per request. */
const TOUCH_EVERY_MS = 60_000;

export interface TokenSummary {
  id: string;
  name: string;
  scope: TokenScope;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

export class TokenStore {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly db: Database,
    /** The built-in worker token of the local pool; always valid, never stored. */
    private readonly localWorkerToken: string,
  ) {}

  async create(input: { name: string; scope: TokenScope; createdBy?: string | null }): Promise<{ token: string; summary: TokenSummary }> {
    const token = PREFIX[input.scope] + randomBytes(32).toString("base64url");
    const [row] = await this.db
      .insert(apiTokens)
      .values({ name: input.name, scope: input.scope, tokenHash: sha256(token), prefix: token.slice(0, PREFIX[input.scope].length + 6), createdBy: input.createdBy ?? null })
      .returning();
    return { token, summary: toSummary(row) };
  }

  async list(): Promise<TokenSummary[]> {
    const rows = await this.db.select().from(apiTokens).where(isNull(apiTokens.revokedAt)).orderBy(desc(apiTokens.createdAt));
    return rows.map(toSummary);
  }

  /** True when a live token was revoked by this call. */
  async revoke(id: string): Promise<boolean> {
    const rows = await this.db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    return rows.length > 0;
  }

  /** The principal a presented token stands for, or null (unknown, revoked or malformed). */
  async authenticate(token: string): Promise<Extract<Principal, { kind: "token" }> | null> {
    if (token.length < 8 || token.length > 200) return null;
    if (sameSecret(token, this.localWorkerToken)) return { kind: "token", tokenId: LOCAL_WORKER_TOKEN_ID, scope: "worker", name: "local workers" };
    const [row] = await this.db
      .select({ id: apiTokens.id, name: apiTokens.name, scope: apiTokens.scope })
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt)));
    if (!row) return null;
    this.touch(row.id);
    return { kind: "token", tokenId: row.id, scope: row.scope, name: row.name };
  }

  /** Of these token ids, the ones revoked since (for dropping sockets that authenticated with them). */
  async revokedAmong(ids: string[]): Promise<string[]> {
    const stored = ids.filter((id) => id !== LOCAL_WORKER_TOKEN_ID);
    if (!stored.length) return [];
    const rows = await this.db.select({ id: apiTokens.id, revokedAt: apiTokens.revokedAt }).from(apiTokens).where(inArray(apiTokens.id, stored));
    const live = new Set(rows.filter((r) => r.revokedAt === null).map((r) => r.id));
    return stored.filter((id) => !live.has(id));
  }

  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.touched.get(id) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(id, now);
    const at = new Date(now);
    void this.db
      .update(apiTokens)
      .set({ lastUsedAt: at })
      .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, at))))
      .catch(() => this.touched.delete(id));
  }
}

function toSummary(row: typeof apiTokens.$inferSelect): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
