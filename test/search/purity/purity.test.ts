// search/ stays pure: no server, dashboard, database, socket, TF.js or Node imports (design.md, Boundaries).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSource, moduleSpecifiers } from "./import-rule";

const SEARCH_ROOT = join(import.meta.dirname, "..", "..", "..", "search");

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return /\.(c|m)?tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("search/ purity rule", () => {
  it("holds for every file in search/", () => {
    const files = typeScriptFiles(SEARCH_ROOT);
    expect(files.length).toBeGreaterThan(10);
    const violations = files.flatMap((file) => checkSource(readFileSync(file, "utf8"), file, SEARCH_ROOT));
    expect(violations).toEqual([]);
  });

  it("catches every form of a forbidden import and ignores allowed ones and comments", () => {
    const fixture = [
      'import { z } from "zod";',
      'import { createRng } from "./rng";',
      'import type { Params } from "../parameters";',
      '// import { readFileSync } from "node:fs";  (a comment is not an import)',
      'const text = "import x from \'fs\'";',
      'import { readFileSync } from "node:fs";',
      'import type { TrialRow } from "../../server/scheduler/trial-store";',
      'export { db } from "drizzle-orm/pglite";',
      'import * as tf from "@tensorflow/tfjs";',
      'const io = await import("socket.io");',
      'const path = require("path");',
      'type Page = typeof import("../../app/page");',
      'import { Pool } from "postgres";',
      'import { PGlite } from "@electric-sql/pglite";',
      'import Link from "next/link";',
      'import { helper } from "../../bench/helper";',
    ].join("\n");
    const file = join(SEARCH_ROOT, "samplers", "fixture.ts");
    const violations = checkSource(fixture, file, SEARCH_ROOT);
    expect(violations.map((v) => [v.line, v.specifier])).toEqual([
      [6, "node:fs"],
      [7, "../../server/scheduler/trial-store"],
      [8, "drizzle-orm/pglite"],
      [9, "@tensorflow/tfjs"],
      [10, "socket.io"],
      [11, "path"],
      [12, "../../app/page"],
      [13, "postgres"],
      [14, "@electric-sql/pglite"],
      [15, "next/link"],
      [16, "../../bench/helper"],
    ]);
    expect(violations[0]).toMatchObject({ file: "samplers/fixture.ts", reason: "Node modules (I/O) are not allowed in search/" });
    expect(violations[1].reason).toBe("search/ must not import from server/");
    expect(violations[10].reason).toBe("search/ must stay self-contained");
  });

  it("finds specifiers of re-exports, import-equals and import types", () => {
    const specs = moduleSpecifiers('export * from "./a";\nimport fs = require("fs");\nlet x: import("./b").T;').map((s) => s.specifier);
    expect(specs).toEqual(["./a", "fs", "./b"]);
  });
});
