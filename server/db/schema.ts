// One drizzle schema for PGlite and PostgreSQL. Migrations are generated from it (`npm run db:generate`).
import { sql } from "drizzle-orm";
import { bigint, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import type { Params } from "../../search/parameters";
import type { SweepDocument } from "../sweeps/sweep-document";
import type { SweepStatus, TrialState } from "../sweeps/types";
import type { ModelMetadata, TrialEvaluation } from "../training/types";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
/** The writing transaction's id (xid8, as a decimal string), for `GET /api/sweeps/:id/changes`. Set on insert by the
 *  default and on every update by the `bump_change_xid` trigger (migration 0004), so no writer can forget it. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8", fromDriver: (v) => String(v) });
const changeXid = () => xid8("change_xid").notNull().default(sql`pg_current_xact_id()`);

export const sweeps = pgTable("sweeps", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  status: text("status").$type<SweepStatus>().notNull().default("queued"),
  document: jsonb("document").$type<SweepDocument>().notNull(),
  error: text("error"),
  createdAt: createdAt(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
  changeXid: changeXid(),
});

export const trials = pgTable(
  "trials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sweepId: uuid("sweep_id").notNull().references(() => sweeps.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    state: text("state").$type<TrialState>().notNull().default("waiting"),
    params: jsonb("params").$type<Params>().notNull(),
    /** Latest value of each metric, kept next to the per-epoch rows so listings need no aggregation. */
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull().default({}),
    value: doublePrecision("value"),
    epochs: integer("epochs").notNull().default(0),
    /** Runs so far that were lost with their worker; each re-queue starts the next attempt. */
    attempt: integer("attempt").notNull().default(0),
    error: text("error"),
    /** Why the trial ended early (a pruner's or early stopping's reason), shown in the dashboard. */
    stopReason: text("stop_reason"),
    /** Sampler/pruner bookkeeping that must survive restarts (e.g. a Hyperband bracket). */
    systemAttrs: jsonb("system_attrs").$type<Record<string, unknown>>().notNull().default({}),
    /** The lease: which worker holds the trial and until when. Only the holder may report or release. */
    workerId: text("worker_id"),
    workerName: text("worker_name"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    changeXid: changeXid(),
  },
  (t) => [
    unique("trials_sweep_number").on(t.sweepId, t.number),
    index("trials_state_idx").on(t.state, t.createdAt),
    index("trials_sweep_state_idx").on(t.sweepId, t.state, t.createdAt),
    // The leaderboard's best-first order, the top-N curves and the best value read a sweep's trials by value.
    index("trials_sweep_value_idx").on(t.sweepId, t.value),
  ],
);

export const trialEpochs = pgTable(
  "trial_epochs",
  {
    trialId: uuid("trial_id").notNull().references(() => trials.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull().default(0),
    epoch: integer("epoch").notNull(),
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    changeXid: changeXid(),
  },
  // The primary key makes a re-sent epoch report a no-op: acknowledged metrics are stored exactly once per attempt.
  (t) => [primaryKey({ columns: [t.trialId, t.attempt, t.epoch] }), index("trial_epochs_change_xid_idx").on(t.changeXid)],
);

/** The trained model of a complete trial, kept so any trial can be promoted later. The weights live in the
 *  artifact store (server/artifacts/), named by their sha256; never select `weights` in a hot path. */
export const trialArtifacts = pgTable("trial_artifacts", {
  trialId: uuid("trial_id").primaryKey().references(() => trials.id, { onDelete: "cascade" }),
  modelJson: jsonb("model_json").$type<Record<string, unknown>>().notNull(),
  /** Legacy: weights stored in the row before the artifact store; moved out (and nulled) at start. */
  weights: bytea("weights"),
  /** Null only on a legacy row not yet moved. */
  weightsSha256: text("weights_sha256"),
  weightsBytes: bigint("weights_bytes", { mode: "number" }),
  metadata: jsonb("metadata").$type<ModelMetadata>().notNull(),
  createdAt: createdAt(),
});

/** Blobs of the database artifact store (used with DATABASE_URL, so instances sharing the database share blobs).
 *  Written last, after all of the blob's chunks: a row here means the blob is whole and verified. */
export const artifacts = pgTable("artifacts", {
  sha256: text("sha256").primaryKey(),
  bytes: bigint("bytes", { mode: "number" }).notNull(),
  /** Which upload's chunks hold the content (two concurrent uploads of one blob each write their own). */
  blobId: uuid("blob_id").notNull(),
  createdAt: createdAt(),
});

/** 1 MiB pieces of blobs, by upload. Chunks without an `artifacts` row are an unfinished or refused upload. */
export const artifactChunks = pgTable(
  "artifact_chunks",
  {
    blobId: uuid("blob_id").notNull(),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.blobId, t.seq] })],
);

/** A complete trial's final evaluation (confusion matrices, per-class metrics, sample predictions): tens of kB, so
 *  kept apart from the trial rows that listings and the scheduler read often, and served on demand. */
export const trialEvaluations = pgTable("trial_evaluations", {
  trialId: uuid("trial_id").primaryKey().references(() => trials.id, { onDelete: "cascade" }),
  evaluation: jsonb("evaluation").$type<TrialEvaluation>().notNull(),
  createdAt: createdAt(),
});

/** Promoted models: versioned per name (the sweep's name), like a model registry. */
export const models = pgTable(
  "models",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    version: integer("version").notNull(),
    sweepId: uuid("sweep_id").notNull().references(() => sweeps.id, { onDelete: "cascade" }),
    trialId: uuid("trial_id").notNull().references(() => trials.id, { onDelete: "cascade" }).unique(),
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull(),
    createdAt: createdAt(),
    changeXid: changeXid(),
  },
  (t) => [unique("models_name_version").on(t.name, t.version)],
);

export * from "./auth-schema";
