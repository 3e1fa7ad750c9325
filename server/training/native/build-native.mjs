#!/usr/bin/env node
// Builds the native training kernels (src/*.cc, N-API, no dependencies) into build/sweepboard_kernels.node.
// Runs at `npm ci` (postinstall) and again from the trainer when sources changed. Never fails an install: without
// a C++ compiler or Node's headers it says so and training uses the WebAssembly kernels instead.
// Usage: node server/training/native/build-native.mjs [--force] [--quiet]
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.join(here, "src");
export const buildDir = path.join(here, "build");
export const addonPath = path.join(buildDir, "sweepboard_kernels.node");
export const stampPath = path.join(buildDir, "stamp.json");
const FLAGS = ["-O3", "-march=native", "-std=c++17", "-shared", "-fPIC", "-DNODE_GYP_MODULE_NAME=sweepboard_kernels"];

/** The CPU's feature flags: a binary built with -march=native only runs where they are all present. */
export function cpuFlags() {
  try {
    const info = fs.readFileSync("/proc/cpuinfo", "utf8");
    const line = info.split("\n").find((l) => l.startsWith("flags"));
    return line ? line.split(":")[1].trim().split(/\s+/).sort().join(" ") : os.cpus()[0]?.model ?? "unknown";
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
}

export function sourceHash() {
  const hash = createHash("sha256");
  for (const file of fs.readdirSync(sourceDir).sort()) hash.update(file).update(fs.readFileSync(path.join(sourceDir, file)));
  hash.update(FLAGS.join(" "));
  return hash.digest("hex");
}

/** Whether build/ holds an addon built from these sources for this CPU. */
export function isUpToDate() {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampPath, "utf8"));
    return stamp.source === sourceHash() && stamp.cpu === cpuFlags() && fs.existsSync(addonPath);
  } catch {
    return false;
  }
}

function findCompiler() {
  for (const candidate of [process.env.CXX, "g++", "clang++"].filter(Boolean)) {
    const probe = spawnSync(candidate, ["--version"], { encoding: "utf8" });
    if (probe.status === 0) return candidate;
  }
  return null;
}

function findNodeHeaders() {
  const candidates = [
    path.join(path.dirname(process.execPath), "..", "include", "node"),
    "/usr/include/node",
    "/usr/local/include/node",
    path.join(os.homedir(), ".cache", "node-gyp", process.versions.node, "include", "node"),
  ];
  return candidates.find((dir) => fs.existsSync(path.join(dir, "node_api.h"))) ?? null;
}

/** Builds if needed. Returns { built: boolean, path?, reason? }; never throws for a missing toolchain. */
export function buildNativeKernels({ force = false, log = () => {} } = {}) {
  if (process.env.SWEEPBOARD_NATIVE === "0") return { built: false, reason: "disabled by SWEEPBOARD_NATIVE=0" };
  if (!force && isUpToDate()) return { built: true, path: addonPath };
  const compiler = findCompiler();
  if (!compiler) return { built: false, reason: "no C++ compiler (g++ or clang++) found" };
  const headers = findNodeHeaders();
  if (!headers) return { built: false, reason: "Node's headers (node_api.h) not found" };
  fs.mkdirSync(buildDir, { recursive: true });
  // Build to a private name, then rename: concurrent builders (several trainer processes) never see half a file.
  const temporary = `${addonPath}.${process.pid}.tmp`;
  const started = Date.now();
  const result = spawnSync(compiler, [...FLAGS, `-I${headers}`, path.join(sourceDir, "addon.cc"), "-o", temporary], {
    encoding: "utf8",
  });
  if (result.status !== 0) {
    fs.rmSync(temporary, { force: true });
    return { built: false, reason: `${compiler} failed: ${(result.stderr || result.error?.message || "").slice(0, 2000)}` };
  }
  fs.renameSync(temporary, addonPath);
  fs.writeFileSync(stampPath, JSON.stringify({ source: sourceHash(), cpu: cpuFlags(), compiler }));
  log(`[native] built ${path.relative(process.cwd(), addonPath)} with ${compiler} in ${Date.now() - started} ms`);
  return { built: true, path: addonPath };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const quiet = process.argv.includes("--quiet");
  const outcome = buildNativeKernels({ force: process.argv.includes("--force"), log: quiet ? () => {} : console.log });
  if (!outcome.built) console.log(`[native] not built (${outcome.reason}); training will use the WebAssembly kernels.`);
}
