// What the account and token routes call: validated inputs in, summaries out. A revoked worker token's sockets are
// dropped at once.
import type { z } from "zod";
import { AppError } from "../errors";
import { isUuid } from "../models/model-registry";
import type { Accounts } from "./accounts";
import { newTokenSchema, newUserSchema, setupSchema } from "./auth-schemas";
import type { FirstAccount } from "./first-account";
import type { TokenStore, TokenSummary } from "./token-store";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export interface AuthService {
  /** True while the first account can be made with the setup link. */
  setupOpen(): boolean;
  setup(input: unknown): Promise<{ email: string }>;
  users: { list(): Promise<UserSummary[]>; create(input: unknown): Promise<UserSummary> };
  tokens: {
    list(): Promise<TokenSummary[]>;
    /** The token itself is in the answer once and never again. */
    create(input: unknown, createdBy: string | null): Promise<{ token: string; summary: TokenSummary }>;
    revoke(id: string): Promise<void>;
  };
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message.slice(0, 300) }));
  throw new AppError("invalid", "invalid request", details);
}

export function createAuthService(deps: { accounts: Accounts; tokens: TokenStore; firstAccount: FirstAccount; tokenRevoked: (id: string) => void }): AuthService {
  const { accounts, tokens } = deps;
  return {
    setupOpen: () => deps.firstAccount.open,
    async setup(input) {
      const user = await deps.firstAccount.complete(parse(setupSchema, input));
      return { email: user.email };
    },
    users: {
      list: () => accounts.listUsers(),
      async create(input) {
        const user = await accounts.createUser(parse(newUserSchema, input));
        return { id: user.userId, email: user.email, name: user.name, createdAt: new Date().toISOString() };
      },
    },
    tokens: {
      list: () => tokens.list(),
      create: (input, createdBy) => tokens.create({ ...parse(newTokenSchema, input), createdBy }),
      async revoke(id) {
        if (!isUuid(id) || !(await tokens.revoke(id))) throw new AppError("not_found", "token not found (or already revoked)");
        deps.tokenRevoked(id);
      },
    },
  };
}
