// Which Host headers (and so which origins) this server answers: what it listens on, its public URL, and
// SWEEPBOARD_ALLOWED_HOSTS. Anything else is refused (421), which defeats DNS rebinding: a page on attacker.example
// that resolves to 127.0.0.1 still sends `Host: attacker.example`.
import { hostname, networkInterfaces } from "node:os";

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]", "::1"];

export interface HostAllowList {
  allowsHost(hostHeader: string | undefined): boolean;
  /** True for an Origin header naming an allowed host (any port: the server may sit behind a proxy). */
  allowsOrigin(origin: string | undefined): boolean;
  hosts: readonly string[];
}

export function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost" || host.startsWith("127.");
}

/** listenHost: HOST; extra: SWEEPBOARD_ALLOWED_HOSTS (comma-separated names, `*` for any); publicUrl: SWEEPBOARD_PUBLIC_URL. */
export function hostAllowList(options: { listenHost: string; extra?: string; publicUrl?: string }): HostAllowList {
  const names = new Set<string>(LOOPBACK);
  const listen = options.listenHost.toLowerCase();
  if (listen === "0.0.0.0" || listen === "::") {
    // Every interface: its addresses and the machine's name are what other hosts will type.
    names.add(hostname().toLowerCase());
    for (const entries of Object.values(networkInterfaces())) for (const entry of entries ?? []) names.add(entry.family === "IPv6" ? `[${entry.address}]` : entry.address);
  } else if (!isLoopbackHost(listen)) {
    names.add(listen.includes(":") && !listen.startsWith("[") ? `[${listen}]` : listen);
  }
  if (options.publicUrl) names.add(new URL(options.publicUrl).hostname.toLowerCase());
  let any = false;
  for (const raw of (options.extra ?? "").split(",")) {
    const name = raw.trim().toLowerCase();
    if (name === "*") any = true;
    else if (name) names.add(name);
  }
  const allowsName = (name: string) => any || names.has(name);
  return {
    hosts: [...names],
    allowsHost(hostHeader) {
      const name = hostOf(hostHeader);
      return name !== null && allowsName(name);
    },
    allowsOrigin(origin) {
      if (!origin) return false;
      try {
        const url = new URL(origin);
        return (url.protocol === "http:" || url.protocol === "https:") && allowsName(url.hostname.toLowerCase());
      } catch {
        return false;
      }
    },
  };
}

/** The host name of a Host header (without the port), lower-cased; null when malformed. */
export function hostOf(hostHeader: string | undefined): string | null {
  if (!hostHeader || hostHeader.length > 300) return null;
  try {
    const url = new URL(`http://${hostHeader}`);
    if (url.username || url.password || url.pathname !== "/" || url.search) return null;
    return url.hostname.toLowerCase();
  } catch {
    return null;
  }
}
