// The first account: created from SWEEPBOARD_ADMIN_PASSWORD, or through a one-time setup link printed at start.
// The link's token lives only in this process's memory (hashed) and dies when an account exists; a later start with
// still no account prints a new one. It is never written to a log file by us beyond that one console line.
import { createHash, randomBytes } from "node:crypto";
import { AppError } from "../errors";
import type { Accounts, SignedInUser } from "./accounts";
import { sameSecret } from "./token-store";

export interface FirstAccount {
  /** The setup URL's token when one is open (no account yet and no admin password given). */
  readonly open: boolean;
  /** Creates the first account with the setup token. Throws AppError("unauthorized") for a wrong or spent token. */
  complete(input: { token: string; email: string; name: string; password: string }): Promise<SignedInUser>;
}

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

export async function prepareFirstAccount(
  accounts: Accounts,
  options: { admin?: { email: string; password: string }; setupUrl: (token: string) => string; log: (message: string) => void },
): Promise<FirstAccount> {
  let pending: string | null = null;
  if ((await accounts.userCount()) === 0) {
    if (options.admin) {
      try {
        await accounts.createUser({ ...options.admin, name: "Admin" });
        options.log(`created the admin account ${options.admin.email} (password from SWEEPBOARD_ADMIN_PASSWORD)`);
      } catch (error) {
        // Another instance on the same database created it between our count and our insert.
        if (!(error instanceof AppError && error.code === "conflict")) throw error;
      }
    } else {
      const token = randomBytes(24).toString("base64url");
      pending = digest(token);
      options.log(`No account yet. Create the admin account (this link works once, until an account exists):\n  ${options.setupUrl(token)}`);
    }
  }
  return {
    get open() {
      return pending !== null;
    },
    async complete(input) {
      if (pending === null || !sameSecret(digest(input.token), pending)) throw new AppError("unauthorized", "this setup link is not valid (any more): sign in instead");
      // Another request may have used the link meanwhile: the account count is the truth.
      if ((await accounts.userCount()) > 0) {
        pending = null;
        throw new AppError("unauthorized", "an account exists already: sign in instead");
      }
      const user = await accounts.createUser(input);
      pending = null;
      return user;
    },
  };
}
