// Runtime configuration from the environment, validated once at start.
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  SWEEPBOARD_HOME: z.string().default(".sweepboard"),
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
  /** Serve the Next.js dashboard (off in integration tests that only need the API and sockets). */
  dashboard: boolean;
  dev: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SweepboardConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
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
    leaseMs: e.SWEEPBOARD_LEASE_MS,
    maxAttempts: e.SWEEPBOARD_MAX_ATTEMPTS,
    dashboard: true,
    dev: env.NODE_ENV === "development",
  };
}
