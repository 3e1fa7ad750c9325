// Everything that decides who gets in, built once per server: the Host allow-list, tokens, accounts (better-auth),
// the authenticator shared by HTTP and sockets, and the two Socket.IO servers.
import type { Server as HttpServer } from "node:http";
import { toNodeHandler } from "better-auth/node";
import { Accounts } from "../auth/accounts";
import { loadOrCreateSecret } from "../auth/server-secret";
import { TokenStore } from "../auth/token-store";
import type { SweepboardConfig } from "../config";
import type { Database } from "../db/client";
import { createSocketServers, type SocketServers } from "../realtime/socket-servers";
import { createAuthenticator, type Authenticator } from "./authenticate";
import { hostAllowList, type HostAllowList } from "./host-allow-list";
import type { Handler } from "./request-gate";

export interface FrontDoor {
  baseUrl: string;
  secret: string;
  workerToken: string;
  secureCookies: boolean;
  allowList: HostAllowList;
  tokens: TokenStore;
  accounts: Accounts;
  authenticator: Authenticator;
  sockets: SocketServers;
  authHandler: Handler;
}

export function openFrontDoor(http: HttpServer, options: { config: SweepboardConfig; db: Database; port: number; log: (message: string) => void }): FrontDoor {
  const { config, db, port } = options;
  const baseUrl = config.publicUrl?.replace(/\/$/, "") ?? `http://localhost:${port}`;
  const secureCookies = baseUrl.startsWith("https://");
  const secret = loadOrCreateSecret(config.home, config.secret, "secret");
  // Remote workers need the token; kept stable across restarts so their configuration stays valid.
  const workerToken = loadOrCreateSecret(config.home, config.workerToken, "worker-token", 24);
  const allowList = hostAllowList({ listenHost: config.host, extra: config.allowedHosts, publicUrl: config.publicUrl });
  const tokens = new TokenStore(db, workerToken);
  const accounts = new Accounts({ db, secret, baseURL: baseUrl, secureCookies, trustedOrigins: (request) => trustedOrigins(allowList, baseUrl, request) });
  const authenticator = createAuthenticator({ accounts, tokens, publicRead: config.publicRead ?? false });
  const sockets = createSocketServers(http, { authenticator, allowList, dev: config.dev, log: options.log });
  const nodeHandler = toNodeHandler(accounts.auth);
  return { baseUrl, secret, workerToken, secureCookies, allowList, tokens, accounts, authenticator, sockets, authHandler: (req, res) => void nodeHandler(req, res) };
}

/** The gate has already refused foreign origins; better-auth checks again against the same allow-list. */
function trustedOrigins(allowList: HostAllowList, baseUrl: string, request?: Request): string[] {
  const origin = request?.headers.get("origin");
  return origin && allowList.allowsOrigin(origin) ? [baseUrl, origin] : [baseUrl];
}
