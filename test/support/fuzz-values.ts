// The fuzz's raw material: a seeded PRNG, hostile atoms (numbers, text, path segments), random JSON as text, and
// mutations of valid sweep documents. JSON is written as text on purpose: JSON.stringify cannot emit 1e309, a
// duplicate key, or a depth its own recursion would not survive.
import { createRng as searchRng } from "../../search/rng";

/** The search library's seeded PRNG (mulberry32): exactly reproducible fuzz inputs. */
export const mulberry32 = searchRng;

export interface Rng {
  next(): number;
  /** 0 … n-1 */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

/** JSON number literals at the edges: overflow to Infinity (1e309), subnormals, -0, beyond 2^53, beyond ±1e30. */
export const HOSTILE_NUMBERS = ["1e308", "-1e308", "1e309", "-1e309", "-0", "5e-324", "-5e-324", "0", "-1", "1.5", "9007199254740993", "1e30", "1.0000001e30", "123456789012345678901234567890", "1e-7", "2147483648", "-2147483649", "0.000001"];
export const RESERVED_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "isPrototypeOf"];

/** Strings PostgreSQL cannot store, or that are merely too long, odd or loaded. */
export function hostileText(rng: Rng): string {
  return rng.pick([
    () => "a\u0000b",
    () => "\u0000",
    () => "\ud800",
    () => "x\udc00y",
    () => "\ud83d",
    () => "x".repeat(rng.pick([101, 201, 2001, 100_000])),
    () => "",
    () => "   ",
    () => "\u202etxt.exe",
    () => "😀".repeat(60),
    () => "<script>alert(1)</script>",
    () => "'; drop table sweeps; --",
    () => "\n\r\t\b\f",
    () => rng.pick(RESERVED_KEYS),
    () => "%ff%00",
    () => "\uffff\ufffe",
  ])();
}

/** Path segments as sent on the wire (already percent-encoded, or raw Latin-1 that Node's client lets through). */
export function hostileSegment(rng: Rng): string {
  return rng.pick([
    "%E0%A4%A",
    "%ff",
    "%",
    "%zz",
    "%00",
    "%ed%a0%80",
    "%C0%AF",
    "%F4%90%80%80",
    "%2e%2e",
    "..",
    ".",
    "%2F",
    "%5C",
    "null",
    "undefined",
    "__proto__",
    "constructor",
    "-1",
    "0",
    "1e308",
    "%F0%9F%98%80",
    "%C3%A9",
    "%EF%BF%BF",
    "%E2%80%AE",
    "\xff\xfe",
    "%20",
    "00000000-0000-4000-8000-000000000000x",
    "00000000-0000-4000-8000-000000000000".repeat(40),
    "a".repeat(9000),
    "b".repeat(3000),
    "%u0000",
    ";",
    "%3Fsince%3D1",
    "%23frag",
  ]);
}

const DEEP = [11, 65, 1_000, 20_000];

/** A random JSON value as text: any type, hostile numbers and strings, reserved keys, deep nesting (unless `shallow`:
 *  Socket.IO's client encoder recurses and would overflow before sending), long lists. */
export function randomJson(rng: Rng, depth = 0, shallow = false): string {
  const roll = rng.next();
  if (depth > 3 || roll < 0.15) return rng.pick(["null", "true", "false", rng.pick(HOSTILE_NUMBERS), String(rng.int(100))]);
  if (roll < 0.35) return JSON.stringify(rng.chance(0.5) ? hostileText(rng) : `s${rng.int(1000)}`);
  if (roll < 0.4) {
    const n = shallow ? 20 : rng.pick(DEEP);
    return rng.chance(0.5) ? "[".repeat(n) + "]".repeat(n) : '{"a":'.repeat(n) + "1" + "}".repeat(n);
  }
  if (roll < 0.43) return `[${Array.from({ length: 10_000 }, (_, i) => (rng.chance(0.5) ? i : `"v${i}"`)).join(",")}]`;
  if (roll < 0.65) return `[${Array.from({ length: rng.int(5) }, () => randomJson(rng, depth + 1, shallow)).join(",")}]`;
  const keys = Array.from({ length: rng.int(5) }, () => (rng.chance(0.3) ? rng.pick(RESERVED_KEYS) : rng.chance(0.2) ? hostileText(rng) : `k${rng.int(20)}`));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${randomJson(rng, depth + 1, shallow)}`).join(",")}}`;
}

/** A value written into the document verbatim (a JSON literal or subtree as text). */
export class Raw {
  constructor(readonly text: string) {}
}

type Doc = Record<string, unknown>;
type Path = (string | number)[];

const STRING_PATHS: Path[] = [["name"], ["description"], ["dataset", "name"], ["dataset", "label"], ["model", "template"], ["method"], ["metric", "name"], ["metric", "goal"], ["parameters", "optimizer", "values", 0], ["parameters", "learning_rate", "distribution"]];
const NUMBER_PATHS: Path[] = [
  ["budget", "max_trials"],
  ["budget", "concurrency"],
  ["budget", "max_minutes"],
  ["budget", "target_value"],
  ["budget", "max_consecutive_failures"],
  ["seed"],
  ["priority"],
  ["dataset", "subset"],
  ["dataset", "validation_split"],
  ["parameters", "learning_rate", "min"],
  ["parameters", "learning_rate", "max"],
  ["parameters", "learning_rate", "q"],
  ["parameters", "epochs", "value"],
  ["parameters", "filters", "values", 0],
  ["parameters", "units", "min"],
  ["parameters", "units", "max"],
];
const ANY_PATHS: Path[] = [...STRING_PATHS, ...NUMBER_PATHS, ["dataset"], ["model"], ["parameters"], ["budget"], ["metric"], ["parameters", "learning_rate"], ["resources"], ["resources", "gpu"], ["pruner"], ["early_stopping"], ["checkpoint"]];

/** Sets a key as an own, enumerable property even when it is `__proto__` (plain assignment would set the prototype). */
function setKey(target: Doc, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `doc[key]` as a plain object, replaced by an empty one when an earlier mutation dropped or retyped it. */
function objectAt(doc: Doc, key: string): Doc {
  const value = doc[key];
  if (typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Raw)) return value as Doc;
  setKey(doc, key, {});
  return doc[key] as Doc;
}

function setPath(doc: Doc, path: Path, value: unknown): void {
  let node: Doc = doc;
  for (const part of path.slice(0, -1)) {
    const next = node[part as string];
    if (typeof next !== "object" || next === null || next instanceof Raw) setKey(node, String(part), Array.isArray(next) ? [] : {});
    node = node[part as string] as Doc;
  }
  setKey(node, String(path[path.length - 1]), value);
}

function deletePath(doc: Doc, path: Path): void {
  let node: unknown = doc;
  for (const part of path.slice(0, -1)) node = typeof node === "object" && node !== null ? (node as Doc)[part as string] : undefined;
  if (typeof node === "object" && node !== null) delete (node as Doc)[path[path.length - 1] as string];
}

/** JSON text of a document whose leaves may be Raw. Own enumerable keys only, `__proto__` included. */
export function serialize(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialize).join(",")}]`;
  if (typeof value === "object" && value !== null) return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${serialize((value as Doc)[k])}`).join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

const MUTATIONS: Record<string, (rng: Rng, doc: Doc) => void> = {
  drop: (rng, doc) => deletePath(doc, rng.pick(ANY_PATHS)),
  retype: (rng, doc) => setPath(doc, rng.pick(ANY_PATHS), new Raw(randomJson(rng, 2))),
  "huge-string": (rng, doc) => setPath(doc, rng.pick(STRING_PATHS), rng.chance(0.7) ? "x".repeat(rng.pick([2_001, 200_000, 900_000])) : "é".repeat(400_000)),
  deep: (rng, doc) => {
    const n = rng.pick(DEEP);
    setPath(doc, rng.pick(ANY_PATHS), new Raw("[".repeat(n) + "]".repeat(n)));
  },
  "big-list": (rng, doc) => {
    const n = rng.pick([1_001, 10_000, 10_001]);
    const values = Array.from({ length: n }, (_, i) => (rng.chance(0.5) ? i + 1 : `v${i}`));
    setPath(doc, rng.pick([["parameters", "filters"], ["parameters", "optimizer"], ["parameters", "extra"]]), { values });
  },
  number: (rng, doc) => setPath(doc, rng.pick(NUMBER_PATHS), new Raw(rng.pick(HOSTILE_NUMBERS))),
  "bad-text": (rng, doc) => {
    if (rng.chance(0.5)) return setPath(doc, rng.pick(STRING_PATHS), hostileText(rng));
    setKey(objectAt(doc, "parameters"), rng.pick(["lr\u0000", "\ud800", "p\udc00", "a".repeat(101), "", "x y", "units_1"]), { values: [1, 2] });
  },
  reserved: (rng, doc) => {
    const key = rng.pick(RESERVED_KEYS);
    const where = rng.pick(["parameters", "", "budget", "dataset", "metric"]);
    const target = where ? objectAt(doc, where) : doc;
    setKey(target, key, where === "parameters" ? { values: [1, 2] } : rng.chance(0.5) ? { polluted: true } : 1);
  },
  "unknown-refs": (rng, doc) => {
    const n = rng.pick([1, 30, 500, 5_000]);
    for (let i = 0; i < n; i++) {
      const entry = rng.chance(0.5) ? { min: 1, max: 4, per_layer_of: `missing_${i}` } : { values: [1, 2], when: { [`ghost_${i}`]: [1] } };
      setKey(objectAt(doc, "parameters"), `p${i}`, entry);
    }
  },
  cycle: (rng, doc) => {
    const params = objectAt(doc, "parameters");
    if (rng.chance(0.5)) {
      params.a = { values: [1, 2], when: { b: [1] } };
      params.b = { values: [1, 2], when: { a: [1] } };
    } else params.units = { min: 1, max: 8, per_layer_of: rng.pick(["units", "dense_layers", "optimizer", "learning_rate"]) };
  },
  "many-params": (rng, doc) => {
    const n = rng.pick([201, 1_000, 2_000]);
    const params = objectAt(doc, "parameters");
    for (let i = 0; i < n; i++) setKey(params, `p${i}`, { value: i });
  },
  "search-config": (rng, doc) => {
    const bad = () => new Raw(rng.pick([...HOSTILE_NUMBERS, '"x"', "null", "[]"]));
    const key = rng.pick(["pruner", "early_stopping", "checkpoint", "method"]);
    if (key === "pruner") doc.pruner = { type: rng.pick(["median", "percentile", "asha", "hyperband", "threshold", "none", "nope"]), metric: rng.pick(["loss", "val_accuracy", "nope"]), n_startup_trials: bad(), lower: bad() };
    if (key === "early_stopping") doc.early_stopping = { monitor: rng.pick(["val_loss", "nope", "\u0000"]), patience: bad(), baseline: bad(), mode: rng.pick(["auto", "min", "sideways"]) };
    if (key === "checkpoint") doc.checkpoint = { monitor: rng.pick(["val_loss", "x".repeat(300)]), mode: bad() };
    if (key === "method") doc.method = rng.pick(["grid", "tpe", "gp", "quasi-random", "bayes", ""]);
  },
  csv: (rng, doc) => {
    doc.dataset = {
      name: "csv",
      file: rng.pick(["../etc/passwd", "/etc/passwd", "a.csv\u0000", "x".repeat(600) + ".csv", "iris.csv", "C:\\x.csv", "a/../../b.csv", "%2e%2e/x.csv"]),
      label: rng.chance(0.5) ? "species" : hostileText(rng),
      ...(rng.chance(0.3) ? { features: Array.from({ length: rng.pick([3, 10_001]) }, (_, i) => `f${i}`) } : {}),
      ...(rng.chance(0.3) ? { test_split: new Raw(rng.pick(HOSTILE_NUMBERS)) } : {}),
    };
    doc.model = { template: rng.pick(["mlp", "cnn"]) };
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

/** A valid document (mostly) made invalid: 1–3 mutations, sometimes a duplicated key in the text. 4% are left valid. */
export function hostileDocument(rng: Rng, base: Doc): { kind: string; text: string } {
  if (rng.chance(0.04)) return { kind: "valid-document", text: serialize(base) };
  const applied = Array.from({ length: 1 + rng.int(3) }, () => rng.pick(MUTATION_NAMES));
  for (const name of applied) MUTATIONS[name](rng, base);
  let text = serialize(base);
  if (rng.chance(0.1)) {
    applied.push("duplicate-key");
    const dup = rng.pick(['"name":"dup",', '"budget":{"max_trials":1},', '"parameters":{},', '"name":"a\\u0000",']);
    text = rng.chance(0.5) ? `{${dup}${text.slice(1)}` : text.replace('"budget":{', `"budget":{"concurrency":"2",`);
  }
  return { kind: `doc:${applied.join(",")}`, text };
}
