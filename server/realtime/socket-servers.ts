// Two Socket.IO servers share the HTTP port: browsers on /socket.io (small messages, session cookie, Origin and Host
// checked) and worker agents on WORKER_SOCKET_PATH (a worker token in the handshake's Authorization header, larger
// reports). Both authenticate in `allowRequest`, before the connection opens, so an unauthenticated peer can send
// nothing at all.
import type { IncomingMessage, Server as HttpServer } from "node:http";
import { Server as SocketServer } from "socket.io";
import type { Access, Principal } from "../http/access";
import type { Authenticator } from "../http/authenticate";
import type { HostAllowList } from "../http/host-allow-list";
import { WORKER_SOCKET_PATH } from "./events";

/** Browsers send subscriptions only. */
export const BROWSER_MESSAGE_BYTES = 64 * 1024;
/** The largest worker report: a trial's completion (model topology, evaluation ≤ ~230 kB, metadata); the weights
 *  go over HTTP (server/artifacts). */
export const WORKER_MESSAGE_BYTES = 8 * 1024 * 1024;

const PRINCIPAL = Symbol("sweepboard.principal");
type WithPrincipal = IncomingMessage & { [PRINCIPAL]?: Principal | null };

/** The principal the handshake authenticated (null: anonymous, allowed only with SWEEPBOARD_PUBLIC_READ=1). */
export function principalOfRequest(req: IncomingMessage): Principal | null {
  return (req as WithPrincipal)[PRINCIPAL] ?? null;
}

export interface SocketServers {
  browsers: SocketServer;
  workers: SocketServer;
  close(): Promise<void>;
}

export function createSocketServers(
  http: HttpServer,
  options: { authenticator: Authenticator; allowList: HostAllowList; dev: boolean; workerMessageBytes?: number; log: (message: string) => void },
): SocketServers {
  const { authenticator, allowList } = options;
  /** Engine.io's allowRequest: a cheap header check, then the credentials for `access`, stashed on the request. */
  const admit =
    (access: Access, refusal: string, precheck: (req: IncomingMessage) => string | null) =>
    (req: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
      const refused = precheck(req);
      if (refused) return callback(refused, false);
      authenticator.principal(req.headers).then(
        (principal) => {
          if (authenticator.check(access, principal)) return callback(refusal, false);
          (req as WithPrincipal)[PRINCIPAL] = principal;
          callback(null, true);
        },
        () => callback("authentication failed", false),
      );
    };
  const browsers = new SocketServer(http, {
    maxHttpBufferSize: BROWSER_MESSAGE_BYTES,
    destroyUpgrade: false,
    // Same-origin polling GETs carry no Origin; any Origin that is present must be this server's.
    allowRequest: admit("read", "sign in first", (req) => {
      if (!allowList.allowsHost(req.headers.host)) return "unknown host";
      return req.headers.origin !== undefined && !allowList.allowsOrigin(req.headers.origin) ? "cross-site socket refused" : null;
    }),
  });
  const workers = new SocketServer(http, {
    path: WORKER_SOCKET_PATH,
    maxHttpBufferSize: options.workerMessageBytes ?? WORKER_MESSAGE_BYTES,
    destroyUpgrade: false,
    // Worker agents are programs, not pages: a browser (it sends Origin) has no business here.
    allowRequest: admit("worker", "invalid worker token", (req) => (req.headers.origin !== undefined ? "workers do not connect from browsers" : null)),
  });
  // Neither server destroys upgrades meant for the other; anything else (but Next's dev HMR) is closed here.
  http.on("upgrade", (req: IncomingMessage, socket) => {
    const url = req.url ?? "";
    if (url.startsWith("/socket.io/") || url.startsWith(`${WORKER_SOCKET_PATH}/`)) return;
    if (!options.dev) socket.destroy();
  });
  return {
    browsers,
    workers,
    async close() {
      await Promise.all([browsers.close(), workers.close()]);
    },
  };
}
