// Runtime configuration from the environment, validated once at start.
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_SWEEPBOARD_HOME } from "./home";

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Loopback unless told otherwise: other hosts reach the dashboard only when HOST says so (see README, "Security").
  HOST: z.string().min(1).default("127.0.0.1"),
  SWEEPBOARD_ALLOWED_HOSTS: z.string().max(2000).optional(),
  SWEEPBOARD_PUBLIC_URL: z.string().url("SWEEPBOARD_PUBLIC_URL must be a URL such as https://sweeps.example.com").optional(),
  SWEEPBOARD_PUBLIC_READ: z.enum(["0", "1"]).default("0"),
  SWEEPBOARD_SECRET: z.string().min(32, "SWEEPBOARD_SECRET must be at least 32 characters").optional(),
  SWEEPBOARD_ADMIN_EMAIL: z.string().email("SWEEPBOARD_ADMIN_EMAIL must be an email address").default("admin@sweepboard.local"),
  SWEEPBOARD_ADMIN_PASSWORD: z.string().min(10, "SWEEPBOARD_ADMIN_PASSWORD must be at least 10 characters").max(256).optional(),
  SWEEPBOARD_HOME: z.string().default(DEFAULT_SWEEPBOARD_HOME),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional(),
  SWEEPBOARD_WORKERS: z.coerce.number().int().min(0).max(256).optional(),
  SWEEPBOARD_WORKER_TOKEN: z.string().min(8, "SWEEPBOARD_WORKER_TOKEN must be at least 8 characters").optional(),
  // Agents heartbeat at half the lease: a silent worker's trial is re-queued after about two missed beats.
  SWEEPBOARD_LEASE_MS: z.coerce.number().int().min(500).default(10_000),
  SWEEPBOARD_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
});

export interface SweepboardConfig {
  port: number;
  host: string;
  home: string;
  databaseUrl?: string;
  /** Local worker agents started with the server (default: one per core). */
  workers: number;
  /** The secret remote workers present; generated (and stored under home) when not given. */
  workerToken?: string;
  leaseMs: number;
  /** Runs a trial gets when its workers keep getting lost, before it fails. */
  maxAttempts: number;
  /** Extra Host names the server answers to (SWEEPBOARD_ALLOWED_HOSTS, comma-separated; `*` for any). */
  allowedHosts?: string;
  /** The URL users open (behind a proxy): its host is allowed, and https makes cookies Secure. */
  publicUrl?: string;
  /** Read routes and pages without signing in (SWEEPBOARD_PUBLIC_READ=1); writes still need an account or token. */
  publicRead?: boolean;
  /** Signs sessions and worker tickets; generated under home when absent. Several instances must share it. */
  secret?: string;
  /** Creates this admin account at start when there is no account yet (SWEEPBOARD_ADMIN_PASSWORD). */
  admin?: { email: string; password: string };
  /** Serve the Next.js dashboard (off in integration tests that only need the API and sockets). */
  dashboard: boolean;
  dev: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SweepboardConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Never echo a value: some of these are secrets.
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    home: resolve(e.SWEEPBOARD_HOME),
    databaseUrl: e.DATABASE_URL || undefined,
    workers: e.SWEEPBOARD_WORKERS ?? availableParallelism(),
    workerToken: e.SWEEPBOARD_WORKER_TOKEN,
    allowedHosts: e.SWEEPBOARD_ALLOWED_HOSTS,
    publicUrl: e.SWEEPBOARD_PUBLIC_URL,
    publicRead: e.SWEEPBOARD_PUBLIC_READ === "1",
    secret: e.SWEEPBOARD_SECRET,
    admin: e.SWEEPBOARD_ADMIN_PASSWORD ? { email: e.SWEEPBOARD_ADMIN_EMAIL, password: e.SWEEPBOARD_ADMIN_PASSWORD } : undefined,
    leaseMs: e.SWEEPBOARD_LEASE_MS,
    maxAttempts: e.SWEEPBOARD_MAX_ATTEMPTS,
    dashboard: true,
    dev: env.NODE_ENV === "development",
  };
}
