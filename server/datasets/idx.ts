// Parser for the IDX format (MNIST / Fashion-MNIST files), gzipped or not.
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  /** Dimensions, outermost first (e.g. [60000, 28, 28] for an image file). */
  shape: number[];
  data: IdxData;
}

const IDX_TYPES: Record<number, { bytes: number; name: string; read: (view: DataView, offset: number) => number; make: (n: number) => IdxData }> = {
  0x08: { bytes: 1, name: "ubyte", read: (v, o) => v.getUint8(o), make: (n) => new Uint8Array(n) },
  0x09: { bytes: 1, name: "byte", read: (v, o) => v.getInt8(o), make: (n) => new Int8Array(n) },
  0x0b: { bytes: 2, name: "short", read: (v, o) => v.getInt16(o), make: (n) => new Int16Array(n) },
  0x0c: { bytes: 4, name: "int", read: (v, o) => v.getInt32(o), make: (n) => new Int32Array(n) },
  0x0d: { bytes: 4, name: "float", read: (v, o) => v.getFloat32(o), make: (n) => new Float32Array(n) },
  0x0e: { bytes: 8, name: "double", read: (v, o) => v.getFloat64(o), make: (n) => new Float64Array(n) },
};

const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Parses IDX bytes (gunzipping first when they carry the gzip magic). `source` only names the data in errors. */
export function parseIdx(input: Uint8Array, source = "IDX data"): IdxArray {
  const bytes = isGzip(input) ? new Uint8Array(gunzipSync(input)) : input;
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${source} is not an IDX file (bad magic number)`);
  }
  const type = IDX_TYPES[bytes[2]];
  if (!type) throw new Error(`${source}: unknown IDX data type 0x${bytes[2].toString(16)}`);
  const rank = bytes[3];
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new Error(`${source}: truncated IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((size, dim) => size * dim, 1);
  const expectedLength = headerLength + count * type.bytes;
  if (bytes.length < expectedLength) {
    throw new Error(`${source}: truncated IDX body (${bytes.length} bytes, expected ${expectedLength})`);
  }
  if (type.bytes === 1 && type.name === "ubyte") {
    // Copy so the result does not pin a larger (decompressed or file) buffer.
    return { shape, data: bytes.slice(headerLength, expectedLength) };
  }
  const data = type.make(count);
  for (let i = 0; i < count; i++) data[i] = type.read(view, headerLength + i * type.bytes); // big-endian
  return { shape, data };
}

export async function readIdxFile(filePath: string): Promise<IdxArray> {
  return parseIdx(new Uint8Array(await readFile(filePath)), filePath);
}
