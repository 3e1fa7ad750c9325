import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { parseIdx, readIdxFile } from "../../../server/datasets/idx";

/** Builds IDX bytes: magic 0 0 type rank, big-endian uint32 dims, then the body. */
function idxBytes(type: number, shape: number[], body: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header.set([0, 0, type, shape.length]);
  shape.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  return new Uint8Array([...header, ...body]);
}

const dir = mkdtempSync(path.join(tmpdir(), "sweepboard-idx-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("IDX parser", () => {
  const pixels = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 11) % 256);
  const bytes = idxBytes(0x08, [2, 3, 4], pixels);

  it("reads a plain unsigned-byte file", async () => {
    const file = path.join(dir, "images-idx3-ubyte");
    writeFileSync(file, bytes);
    const parsed = await readIdxFile(file);
    expect(parsed.shape).toEqual([2, 3, 4]);
    expect(parsed.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(parsed.data)).toEqual(Array.from(pixels));
  });

  it("reads a gzipped file", async () => {
    const file = path.join(dir, "images-idx3-ubyte.gz");
    writeFileSync(file, gzipSync(bytes));
    const parsed = await readIdxFile(file);
    expect(parsed.shape).toEqual([2, 3, 4]);
    expect(Array.from(parsed.data)).toEqual(Array.from(pixels));
  });

  it("reads big-endian multi-byte types", () => {
    const body = new Uint8Array(8);
    new DataView(body.buffer).setInt32(0, -5, false);
    new DataView(body.buffer).setInt32(4, 70000, false);
    const parsed = parseIdx(idxBytes(0x0c, [2], body));
    expect(parsed.data).toBeInstanceOf(Int32Array);
    expect(Array.from(parsed.data)).toEqual([-5, 70000]);
  });

  it("rejects bad magic and truncated bodies with the source named", () => {
    expect(() => parseIdx(new Uint8Array([1, 2, 3, 4]), "x.idx")).toThrow(/x\.idx is not an IDX file/);
    expect(() => parseIdx(bytes.subarray(0, bytes.length - 1), "y.idx")).toThrow(/y\.idx: truncated IDX body/);
  });
});
