// Hostile socket messages for every worker event and dashboard event. Reports are built so that none can ever be
// accepted (`hopeless`): a broken field, an epoch past the trial's epochs, a lost attempt, a trial the sender does
// not hold, weights never uploaded. The server must refuse each with a reason, never "retry" and never store it.
import { hostileText, randomJson, RESERVED_KEYS, type Rng } from "./fuzz-values";

export type Sender = "holder" | "intruder" | "idler" | "dashboard";

export interface HeldTrial {
  trialId: string;
  attempt: number;
  /** The trial's own epoch count (its `epochs` parameter). */
  epochs: number;
}

export interface SocketFuzzContext {
  /** Trials the holder socket was assigned (and still holds). */
  held: readonly HeldTrial[];
  /** Real trial ids the sender does not hold. */
  foreignTrialIds: readonly string[];
  sweepIds: readonly string[];
  /** Uploaded artifacts, with their true sizes. */
  blobs: readonly { sha256: string; bytes: number }[];
}

export interface SocketMessage {
  sender: Sender;
  event: string;
  args: unknown[];
  /** Whether a callback is passed (events without acks ignore it). */
  withAck: boolean;
  /** No ack can be `ok: true`, and none may be the retry marker. */
  hopeless: boolean;
  kind: string;
}

const VALID_METRICS = { loss: 0.5, accuracy: 0.8, val_loss: 0.6, val_accuracy: 0.75, duration_ms: 1000, images_per_sec: 500, learning_rate: 0.001 };
const BAD_IDS: unknown[] = ["", "not-a-uuid", "a\u0000b", "\ud800", "00000000-0000-4000-8000-000000000000x", 5, null, true, {}, [], "x".repeat(5000)];
const BAD_ATTEMPTS: unknown[] = [-1, 1.5, 1001, 1e308, "0", null, [], -0.5];
const BAD_EPOCHS: unknown[] = [0, -1, 1.5, 100_001, 1e308, 5e-324, "1", null, Number.MAX_SAFE_INTEGER + 2];
const BAD_METRICS: unknown[] = [1e308, 1e31, -1e31, "0.5", null, -1e300, {}, [0.5], true];

function randomArgs(rng: Rng): unknown[] {
  const value = () => JSON.parse(randomJsonSocketSafe(rng)) as unknown;
  return rng.pick([[], [value()], [value(), value()], [undefined], [hostileText(rng).slice(0, 50_000)], [{ trialId: rng.pick(BAD_IDS) }]]);
}

/** randomJson, but under the browsers' 64 KiB message cap (a larger one closes the socket, which is tested elsewhere)
 *  and not deeper than Socket.IO's own recursive encoder copes with. */
function randomJsonSocketSafe(rng: Rng): string {
  for (;;) {
    const text = randomJson(rng, 1, true);
    if (text.length < 50_000) return text;
  }
}

function uuidLike(rng: Rng): string {
  const hex = (n: number) => Array.from({ length: n }, () => rng.int(16).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

/** A target trial and attempt that make an otherwise valid report impossible to accept. */
function impossibleTarget(rng: Rng, sender: Sender, ctx: SocketFuzzContext): { trialId: string; attempt: number; why: string } {
  const held = ctx.held.length ? rng.pick(ctx.held) : null;
  const roll = rng.next();
  if (held && sender === "holder" && roll < 0.5) return { trialId: held.trialId, attempt: held.attempt + 1 + rng.int(5), why: "lost-attempt" };
  // Another worker's trial, its current attempt and all: a forged report with the same token, from another socket.
  if (held && sender === "intruder" && roll < 0.4) return { trialId: held.trialId, attempt: held.attempt, why: "impersonation" };
  if (ctx.foreignTrialIds.length && roll < 0.85) return { trialId: rng.pick(ctx.foreignTrialIds), attempt: rng.int(2), why: "not-held" };
  return { trialId: uuidLike(rng), attempt: 0, why: "unknown-trial" };
}

function epochMessage(rng: Rng, sender: Sender, ctx: SocketFuzzContext): Omit<SocketMessage, "sender" | "event" | "withAck"> {
  const held = sender === "holder" && ctx.held.length ? rng.pick(ctx.held) : null;
  const roll = rng.next();
  if (roll < 0.2) return { args: randomArgs(rng), hopeless: true, kind: "random" };
  if (held && roll < 0.45) {
    // The right trial and attempt, an epoch past the trial's own count.
    const epoch = rng.pick([held.epochs + 1, held.epochs + 2, 1000, 100_000]);
    return { args: [{ trialId: held.trialId, attempt: held.attempt, epoch, metrics: VALID_METRICS }], hopeless: true, kind: "epoch-beyond-trial" };
  }
  if (held && roll < 0.7) {
    // The right trial and attempt, one field the schema must refuse.
    const report: Record<string, unknown> = { trialId: held.trialId, attempt: held.attempt, epoch: 1, metrics: { ...VALID_METRICS } };
    const field = rng.pick(["trialId", "attempt", "epoch", "metric", "metrics"]);
    if (field === "trialId") report.trialId = rng.pick(BAD_IDS);
    if (field === "attempt") report.attempt = rng.pick(BAD_ATTEMPTS);
    if (field === "epoch") report.epoch = rng.pick(BAD_EPOCHS);
    if (field === "metric") (report.metrics as Record<string, unknown>)[rng.pick(Object.keys(VALID_METRICS))] = rng.pick(BAD_METRICS);
    if (field === "metrics") report.metrics = rng.pick([null, [], "x", { loss: 0.5 }]);
    return { args: [report], hopeless: true, kind: `bad-${field}` };
  }
  const target = impossibleTarget(rng, sender, ctx);
  return { args: [{ trialId: target.trialId, attempt: target.attempt, epoch: 1, metrics: VALID_METRICS }], hopeless: true, kind: target.why };
}

function completion(trialId: string, attempt: number, blob: { sha256: string; bytes: number }): Record<string, unknown> {
  return {
    trialId,
    attempt,
    epochsRun: 1,
    testMetrics: { test_loss: 0.5, test_accuracy: 0.8 },
    artifact: {
      modelJson: { format: "layers-model", modelTopology: { class_name: "Sequential", config: { layers: [] } } },
      weights: blob,
      metadata: {
        classNames: ["a", "b"],
        inputShape: [-1, 28, 28, 1],
        preprocessing: { scale: 1 / 255, description: "pixels / 255" },
        dataset: { name: "fashion-mnist", subset: 1000, validationSplit: 0.1, testSplit: "official-test", seed: 3 },
        params: { learning_rate: 0.003, optimizer: "adam" },
        metrics: { val_accuracy: 0.75 },
        backend: "test",
        createdAt: new Date(0).toISOString(),
      },
    },
  };
}

/** Breaks one part of a completion in a way its schema must refuse (the evaluation is not one: a bad one is dropped). */
function breakCompletion(rng: Rng, report: Record<string, unknown>): string {
  const artifact = report.artifact as Record<string, Record<string, unknown>>;
  const metadata = artifact.metadata;
  const which = rng.pick(["class-name", "model-key", "model-deep", "model-value", "test-metric", "stop-reason", "created-at", "param-key", "sha"]);
  if (which === "class-name") metadata.classNames = ["a", rng.pick(["b\u0000", "\ud800", "x".repeat(201)])];
  if (which === "model-key") artifact.modelJson = { format: "layers-model", [rng.pick(["k\u0000", "\udc00"])]: 1 };
  if (which === "model-deep") {
    let node: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 100; i++) node = { n: node };
    artifact.modelJson = node;
  }
  if (which === "model-value") artifact.modelJson = { format: "layers-model", note: rng.pick(["\u0000", "a\ud800"]) };
  if (which === "test-metric") report.testMetrics = { test_loss: rng.pick([1e308, -1e31, "1", null]), test_accuracy: 0.5 };
  if (which === "stop-reason") report.stopReason = rng.pick(["x".repeat(2001), "stop\u0000", "\udbff"]);
  if (which === "created-at") metadata.createdAt = rng.pick(["\u0000", "x".repeat(101)]);
  if (which === "param-key") metadata.params = { ["lr\u0000"]: 1 };
  if (which === "sha") artifact.weights = { sha256: rng.pick(["A".repeat(64), "a".repeat(63), "../x"]), bytes: 1 };
  return which;
}

function completeMessage(rng: Rng, sender: Sender, ctx: SocketFuzzContext): Omit<SocketMessage, "sender" | "event" | "withAck"> {
  if (rng.chance(0.2)) return { args: randomArgs(rng), hopeless: true, kind: "random" };
  const blob = ctx.blobs.length ? rng.pick(ctx.blobs) : { sha256: "b".repeat(64), bytes: 8 };
  const held = sender === "holder" && ctx.held.length ? rng.pick(ctx.held) : null;
  const roll = rng.next();
  if (held && roll < 0.4) {
    const report = completion(held.trialId, held.attempt, blob);
    return { args: [report], hopeless: true, kind: `bad-${breakCompletion(rng, report)}` };
  }
  if (held && roll < 0.6) {
    // Weights that were never uploaded, or of another size than reported.
    const missing = rng.chance(0.5);
    const weights = missing ? { sha256: "c".repeat(63) + rng.int(10), bytes: blob.bytes } : { sha256: blob.sha256, bytes: blob.bytes + 1 + rng.int(100) };
    return { args: [completion(held.trialId, held.attempt, weights)], hopeless: true, kind: missing ? "weights-missing" : "weights-size" };
  }
  const target = impossibleTarget(rng, sender, ctx);
  const report = completion(target.trialId, target.attempt, blob);
  if (rng.chance(0.3)) report.evaluation = JSON.parse(randomJsonSocketSafe(rng));
  return { args: [report], hopeless: true, kind: target.why };
}

function failedMessage(rng: Rng, sender: Sender, ctx: SocketFuzzContext): Omit<SocketMessage, "sender" | "event" | "withAck"> {
  if (rng.chance(0.2)) return { args: randomArgs(rng), hopeless: true, kind: "random" };
  const held = sender === "holder" && ctx.held.length ? rng.pick(ctx.held) : null;
  if (held && rng.chance(0.5)) {
    const error = rng.pick<unknown>(["boom\u0000", "\ud800", "x".repeat(10_001), 42, null, { message: "x" }]);
    const attempt = rng.chance(0.2) ? rng.pick(BAD_ATTEMPTS) : held.attempt;
    return { args: [{ trialId: held.trialId, attempt, error }], hopeless: true, kind: "bad-error" };
  }
  const target = impossibleTarget(rng, sender, ctx);
  return { args: [{ trialId: target.trialId, attempt: target.attempt, error: "forged failure" }], hopeless: true, kind: target.why };
}

const WORKER_EVENTS = ["trial:epoch", "trial:complete", "trial:failed", "trial:heartbeat", "worker:idle"] as const;
// Heartbeats and idles have small budgets (2/s per socket): kept rare so the paced run stays short.
const WORKER_WEIGHTS = [0.5, 0.19, 0.19, 0.09, 0.03];

/** One message: which socket sends it, which event, what arguments. */
export function generateSocketMessage(rng: Rng, ctx: SocketFuzzContext): SocketMessage {
  if (rng.chance(0.2)) return dashboardMessage(rng, ctx);
  let roll = rng.next();
  let event: (typeof WORKER_EVENTS)[number] = WORKER_EVENTS[0];
  for (let i = 0; i < WORKER_EVENTS.length; i++) {
    if (roll < WORKER_WEIGHTS[i]) {
      event = WORKER_EVENTS[i];
      break;
    }
    roll -= WORKER_WEIGHTS[i];
  }
  // Only the idler asks for work (so the holder's trials, and who holds what, stay as set up).
  if (event === "worker:idle") return { sender: "idler", event, args: randomArgs(rng), withAck: rng.chance(0.3), hopeless: false, kind: "idle" };
  const sender: Sender = rng.chance(0.5) ? "holder" : "intruder";
  if (event === "trial:heartbeat") {
    const trialId = rng.pick<unknown>([...ctx.foreignTrialIds, ...ctx.held.map((h) => h.trialId), ...BAD_IDS]);
    return { sender, event, args: rng.chance(0.2) ? randomArgs(rng) : [{ trialId }], withAck: false, hopeless: false, kind: "heartbeat" };
  }
  const built = event === "trial:epoch" ? epochMessage(rng, sender, ctx) : event === "trial:complete" ? completeMessage(rng, sender, ctx) : failedMessage(rng, sender, ctx);
  return { sender, event, withAck: !rng.chance(0.05), ...built };
}

function dashboardMessage(rng: Rng, ctx: SocketFuzzContext): SocketMessage {
  const event = rng.chance(0.75) ? "sweep:subscribe" : "sweep:unsubscribe";
  const roll = rng.next();
  if (roll < 0.3 && ctx.sweepIds.length) return { sender: "dashboard", event, args: [{ sweepId: rng.pick(ctx.sweepIds) }], withAck: event === "sweep:subscribe", hopeless: false, kind: "real-sweep" };
  if (roll < 0.5) return { sender: "dashboard", event, args: randomArgs(rng), withAck: rng.chance(0.7), hopeless: true, kind: "random" };
  const sweepId = rng.pick<unknown>([uuidLike(rng), ...BAD_IDS, ...RESERVED_KEYS, ctx.sweepIds[0]?.toUpperCase() ?? "x"]);
  // An upper-case copy of a real id is the same uuid to PostgreSQL: not hopeless.
  const hopeless = typeof sweepId !== "string" || !ctx.sweepIds.some((id) => id.toLowerCase() === sweepId.toLowerCase());
  return { sender: "dashboard", event, args: [{ sweepId }], withAck: event === "sweep:subscribe" && rng.chance(0.9), hopeless, kind: "bad-sweep-id" };
}
