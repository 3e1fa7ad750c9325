// Edge checks for any parsed JSON body or socket payload, run before schema validation: bounded nesting, node count,
// string, key and list sizes, no `__proto__` keys, and only text PostgreSQL can store (no NUL, no lone UTF-16
// surrogates). The walk stops at the first limit it can no longer afford, so its cost is bounded by the limits, not
// by the input. Also: bounding error lists for responses, and short redacted excerpts of bodies for logs.

export type PathPart = string | number;

export interface InputLimits {
  /** Containers inside containers: the root object is depth 0, its values depth 1, … */
  maxDepth: number;
  /** Values of every kind (containers, strings, numbers…) in the whole input. */
  maxNodes: number;
  maxStringLength: number;
  maxKeyLength: number;
  /** Keys of one object. */
  maxKeys: number;
  /** Entries of one array. */
  maxArrayLength: number;
}

export interface LimitIssue {
  path: PathPart[];
  message: string;
}

export interface WalkOptions {
  /** Subtrees not to walk (their schema bounds them itself). */
  skip?: (path: readonly PathPart[]) => boolean;
  /** Issues collected before the walk stops. */
  maxIssues?: number;
}

/** What a client may send as one JSON document (a sweep, a budget edit). Specific fields have tighter caps. */
export const JSON_BODY_LIMITS: InputLimits = {
  maxDepth: 10,
  maxNodes: 50_000,
  maxStringLength: 2_000,
  maxKeyLength: 200,
  maxKeys: 1_000,
  maxArrayLength: 10_000,
};

/** Errors returned for one request, and the length of each message. */
export const MAX_FIELD_ERRORS = 20;
export const MAX_ERROR_MESSAGE_LENGTH = 300;
/** Bytes of a rejected body that may be logged. */
export const LOG_EXCERPT_BYTES = 300;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL could not store `text` (as text or inside jsonb), or null when it can. */
export function unstorableTextProblem(text: string): string | null {
  const nul = text.indexOf("\u0000");
  if (nul >= 0) return `contains a NUL character (\\u0000) at position ${nul}, which cannot be stored`;
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) return `contains a lone UTF-16 surrogate (\\u${surrogate[0].charCodeAt(0).toString(16)}) at position ${surrogate.index}: not valid Unicode`;
  return null;
}

export function isStorableText(text: string): boolean {
  return unstorableTextProblem(text) === null;
}

/** Every limit the input breaks, up to `maxIssues`, each with the path of the offending value. */
export function inputLimitIssues(input: unknown, limits: InputLimits, options: WalkOptions = {}): LimitIssue[] {
  const issues: LimitIssue[] = [];
  const maxIssues = options.maxIssues ?? MAX_FIELD_ERRORS;
  let nodes = 0;
  let stopped = false;
  const report = (path: PathPart[], message: string) => {
    issues.push({ path, message });
    if (issues.length >= maxIssues) stopped = true;
  };

  const visit = (value: unknown, path: PathPart[]): void => {
    if (stopped) return;
    if (++nodes > limits.maxNodes) {
      report(path, `the input has more than ${limits.maxNodes} values`);
      stopped = true;
      return;
    }
    if (typeof value === "string") {
      if (value.length > limits.maxStringLength) return report(path, `longer than ${limits.maxStringLength} characters`);
      const problem = unstorableTextProblem(value);
      if (problem) report(path, problem);
      return;
    }
    if (typeof value !== "object" || value === null || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
    if (path.length >= limits.maxDepth) return report(path, `nested deeper than ${limits.maxDepth} levels`);
    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayLength) return report(path, `more than ${limits.maxArrayLength} entries`);
      for (let i = 0; i < value.length && !stopped; i++) visitChild(value[i], path, i);
      return;
    }
    const keys = Object.keys(value);
    if (keys.length > limits.maxKeys) return report(path, `more than ${limits.maxKeys} keys`);
    for (const key of keys) {
      if (stopped) return;
      if (key.length > limits.maxKeyLength) {
        report(path, `a key is longer than ${limits.maxKeyLength} characters: ${JSON.stringify(key.slice(0, 40))}…`);
        continue;
      }
      const keyProblem = key === "__proto__" ? "`__proto__` is not allowed as a key" : unstorableTextProblem(key);
      if (keyProblem) {
        report([...path, key], keyProblem.startsWith("`") ? keyProblem : `the key ${keyProblem}`);
        continue;
      }
      visitChild((value as Record<string, unknown>)[key], path, key);
    }
  };
  const visitChild = (value: unknown, path: PathPart[], part: PathPart) => {
    const child = [...path, part];
    if (!options.skip?.(child)) visit(value, child);
  };

  visit(input, []);
  return issues;
}

/** `message` cut to `max` characters (never through a surrogate pair), marked with "…" when cut. */
export function truncateText(message: string, max = MAX_ERROR_MESSAGE_LENGTH): string {
  if (message.length <= max) return message;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(message[end - 1])) end -= 1;
  return `${message.slice(0, end)}…`;
}

/** At most `max` errors, each message bounded; the last says how many were left out. */
export function boundErrors<E extends { path: string; message: string }>(errors: readonly E[], max = MAX_FIELD_ERRORS): { path: string; message: string }[] {
  const bounded = errors.map((e) => ({ path: truncateText(e.path), message: truncateText(e.message) }));
  if (bounded.length <= max) return bounded;
  const kept = bounded.slice(0, max - 1);
  return [...kept, { path: "", message: `…and ${errors.length - kept.length} more errors` }];
}

export const joinPath = (path: readonly PropertyKey[]): string => path.map(String).join(".");

/** UTF-8 size of `text` (without Buffer, so the module stays usable in a browser). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) (bytes += 4), i++;
    else bytes += 3;
  }
  return bytes;
}

const SECRET_KEY = /token|password|passwd|secret|authorization|cookie|api[-_]?key|credential/i;

/** A log-safe excerpt of a parsed body: JSON of at most `maxBytes` UTF-8 bytes, secret-looking fields redacted,
 *  built without serialising the whole value (a 50 MB body costs what its first bytes cost). */
export function logExcerpt(value: unknown, maxBytes = LOG_EXCERPT_BYTES): string {
  const out: string[] = [];
  let bytes = 0;
  let full = false;
  const emit = (text: string) => {
    if (full) return;
    const size = utf8Length(text);
    if (bytes + size <= maxBytes) {
      out.push(text);
      bytes += size;
      return;
    }
    let cut = text.slice(0, Math.max(0, maxBytes - bytes));
    while (utf8Length(cut) > maxBytes - bytes) cut = cut.slice(0, -1);
    out.push(cut, "…");
    full = true;
  };
  const write = (v: unknown, depth: number): void => {
    if (full) return;
    if (typeof v === "string") return emit(JSON.stringify(v.length > maxBytes ? v.slice(0, maxBytes) : v));
    if (typeof v !== "object" || v === null) return emit(String(v));
    if (ArrayBuffer.isView(v)) return emit(`<${v.byteLength} bytes>`);
    if (depth > 8) return emit("…");
    if (Array.isArray(v)) {
      emit("[");
      for (let i = 0; i < v.length && !full; i++) (i && emit(","), write(v[i], depth + 1));
      return emit("]");
    }
    emit("{");
    let first = true;
    for (const key in v) {
      if (full) break;
      if (!Object.hasOwn(v, key)) continue;
      emit(`${first ? "" : ","}${JSON.stringify(key.slice(0, maxBytes))}:`);
      first = false;
      if (SECRET_KEY.test(key)) emit('"[redacted]"');
      else write((v as Record<string, unknown>)[key], depth + 1);
    }
    emit("}");
  };
  write(value, 0);
  return out.join("");
}
